package io.github.demosim.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on both databases (the A/B of docs/performance.md); the property turns it off for the A/B. One store
 * writer on H2, several on PostgreSQL, unless {@code demos.im.store.writers} says otherwise.
 */
class GroupCommitChoiceTests {
    private static final String PROPERTY = "demos.im.store.groupCommit";

    @AfterEach
    void clear() {
        System.clearProperty(PROPERTY);
        System.clearProperty(ServerRuntime.WRITERS_PROPERTY);
    }

    @Test
    void bothDatabasesGroupTheirCommitsByDefault() {
        assertThat(ServerRuntime.groupCommit("jdbc:h2:file:/tmp/x")).isTrue();
        assertThat(ServerRuntime.groupCommit("jdbc:postgresql://127.0.0.1/db")).isTrue();
    }

    @Test
    void thePropertyTurnsItOff() {
        System.setProperty(PROPERTY, "false");
        assertThat(ServerRuntime.groupCommit("jdbc:h2:file:/tmp/x")).isFalse();
        assertThat(ServerRuntime.groupCommit("jdbc:postgresql://127.0.0.1/db")).isFalse();
    }

    @Test
    void oneWriterOnH2AndSeveralOnPostgresByDefault() {
        assertThat(ServerRuntime.storeWriters("jdbc:h2:file:/tmp/x")).isEqualTo(1);
        assertThat(ServerRuntime.storeWriters("jdbc:h2:mem:x")).isEqualTo(1);
        assertThat(ServerRuntime.storeWriters("jdbc:postgresql://127.0.0.1/db"))
                .isEqualTo(ServerRuntime.POSTGRES_WRITERS).isGreaterThan(1);
    }

    @Test
    void thePropertySetsTheWritersOnEitherDatabase() {
        System.setProperty(ServerRuntime.WRITERS_PROPERTY, "2");
        assertThat(ServerRuntime.storeWriters("jdbc:h2:file:/tmp/x")).isEqualTo(2);
        assertThat(ServerRuntime.storeWriters("jdbc:postgresql://127.0.0.1/db")).isEqualTo(2);
        System.setProperty(PROPERTY, "false");
        assertThat(ServerRuntime.storeWriters("jdbc:postgresql://127.0.0.1/db")).isZero(); // no group commit at all
    }

    @Test
    void aWriterCountOutOfRangeIsRefusedWithTheRange() {
        for (String bad : new String[] {"0", "-1", "many", String.valueOf(ServerRuntime.MAX_WRITERS + 1)}) {
            System.setProperty(ServerRuntime.WRITERS_PROPERTY, bad);
            assertThatThrownBy(() -> ServerRuntime.storeWriters("jdbc:postgresql://127.0.0.1/db"))
                    .isInstanceOf(ImException.class)
                    .satisfies(e -> assertThat(((ImException) e).code()).isEqualTo(ErrorCode.SERVER_START_FAILED))
                    .hasMessageContaining("demos.im.store.writers").hasMessageContaining("from 1 to")
                    .hasMessageContaining("\"" + bad + "\"");
        }
    }
}
