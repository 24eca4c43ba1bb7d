package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** {@link StoreException#describe}: what the server's store-failure warnings and its stop message say. */
class StoreExceptionTests {
    @Test
    void theInnermostCauseIsNamedWhereTheMessageHidesIt() {
        // The chain H2 produced when the disk filled under a benchmarked server (issue 16, session 11), shortened.
        IOException disk = new IOException("No space left on device");
        StoreException e = new StoreException("database failed: The database has been closed",
                new SQLException("The database has been closed", new IllegalStateException(
                        "Writing to sun.nio.ch.FileChannelImpl@1 failed; length 1089536 at 20111912960", disk)));
        assertThat(e.describe()).isEqualTo("database failed: The database has been closed "
                + "(cause: java.io.IOException: No space left on device)");
    }

    @Test
    void aCauseTheMessageAlreadySaysIsNotRepeated() {
        StoreException e = new StoreException("database failed: The database has been closed",
                new SQLException("The database has been closed"));
        assertThat(e.describe()).isEqualTo("database failed: The database has been closed");
        assertThat(new StoreException("the message store is closed", null).describe())
                .isEqualTo("the message store is closed");
    }

    @Test
    void aCauseWithoutAMessageIsNamedByItsType() {
        StoreException e = new StoreException("commit 3 writes failed", new SQLException(new NullPointerException()));
        assertThat(e.describe()).isEqualTo("commit 3 writes failed (cause: java.lang.NullPointerException)");
    }
}
