package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.DemosImServer;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** "No suitable driver" (what a jlink image without H2 gets) says which driver is missing and how to add it. */
class MissingDriverTests {

    @Test
    void aUrlNoDriverTakesFailsTheStartWithTheFix() {
        assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).legacyPort(0)
                .databaseUrl("jdbc:nosuchdb:demo").start())
                .isInstanceOf(ImException.class)
                .satisfies(e -> assertThat(((ImException) e).code()).isEqualTo(ErrorCode.SERVER_START_FAILED))
                .hasMessageContaining("No suitable driver")
                .hasMessageContaining("No JDBC driver for this URL is present")
                .hasMessageContaining("--add-modules");
    }

    @Test
    void theH2HintNamesTheArtifactTheModuleAndTheJlinkFix() {
        String hint = JdbcMessageStore.driverHint("jdbc:h2:mem:x",
                new SQLException("No suitable driver found for jdbc:h2:mem:x", "08001"));
        assertThat(hint).contains("com.h2database:h2", "--add-modules com.h2database", "docs/jlink.md");
        assertThat(JdbcMessageStore.driverHint("jdbc:postgresql://db/x",
                new SQLException("No suitable driver found for jdbc:postgresql://db/x", "08001")))
                .contains("org.postgresql:postgresql", "--add-modules org.postgresql.jdbc");
        assertThat(JdbcMessageStore.driverHint("jdbc:h2:mem:x", new SQLException("Wrong user name or password")))
                .isEmpty();
    }
}
