package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.server.support.L2psPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 10: what start-up refuses, with a message that says what to do (docs/server.md, "Starting one").
 * A database the server cannot write fails the start with {@code IM-SERVER-002}, instead of printing "started"
 * and then answering every registration with {@code INTERNAL_ERROR}; a mistyped H2 URL is refused instead of
 * creating a file named after the typo.
 */
class StartupCheckTests {

    @Test
    void aReadOnlyH2DatabaseFailsTheStart(@TempDir Path dir) {
        Path db = dir.resolve("db");
        DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseFile(db).start().close(); // created, migrated
        // H2 opens a file it may not write read-only, as this setting does (root may write any file, so a test
        // cannot rely on permissions).
        assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).disableLegacy()
                .databaseUrl("jdbc:h2:file:" + db.toAbsolutePath() + ";ACCESS_MODE_DATA=r").start())
                .isInstanceOf(ImException.class)
                .satisfies(e -> assertThat(((ImException) e).code()).isEqualTo(ErrorCode.SERVER_START_FAILED))
                .hasMessageContaining("is read-only").hasMessageContaining("[IM-SERVER-002]");
    }

    @Test
    void aReadOnlyPostgresqlDatabaseFailsTheStart() {
        String postgres = System.getenv("DEMOS_IM_TEST_POSTGRES_URL");
        assumeTrue(postgres != null, "DEMOS_IM_TEST_POSTGRES_URL names no PostgreSQL database (.ci/with-postgres)");
        String readOnly = postgres + (postgres.contains("?") ? "&" : "?")
                + "options=-c%20default_transaction_read_only%3Don";
        assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseUrl(readOnly).start())
                .isInstanceOf(ImException.class)
                .hasMessageContaining("is read-only").hasMessageContaining("[IM-SERVER-002]");
    }

    @Test
    void aMistypedH2UrlIsRefusedWithTheLikelyFixAndCreatesNothing(@TempDir Path dir) throws Exception {
        String typo = "jdbc:h2:fil:" + dir.resolve("x").toAbsolutePath();
        assertThatThrownBy(() -> DemosImServer.newBuilder().databaseUrl(typo))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown H2 database URL form 'fil:'")
                .hasMessageContaining("did you mean jdbc:h2:file:" + dir.resolve("x").toAbsolutePath());
        assertThat(Files.exists(Path.of("fil:"))).as("a directory named after the typo").isFalse();
        assertThatThrownBy(() -> DemosImServer.newBuilder().databaseUrl("jdbc:postgres://localhost/demos"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did you mean jdbc:postgresql:");
    }

    @Test
    void aUrlThatAsksForAWriteDelayIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> DemosImServer.newBuilder()
                .databaseUrl("jdbc:h2:file:" + dir.resolve("x").toAbsolutePath() + ";WRITE_DELAY=500"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("WRITE_DELAY=500").hasMessageContaining("acknowledges messages before they are "
                        + "on disk");
    }

    @Test
    void aDatabaseWithoutADriverIsNamedAsSuch() {
        assertThatThrownBy(() -> DemosImServer.newBuilder().l2psPort(0).disableLegacy()
                .databaseUrl("jdbc:mysql://127.0.0.1/demos").start())
                .isInstanceOf(ImException.class)
                .hasMessageContaining("no JDBC driver for jdbc:mysql://127.0.0.1/demos is installed")
                .hasMessageContaining("[IM-SERVER-002]");
    }

    @Test
    void everyH2FileUrlFormIsOpenedDurably(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:" + dir.resolve("db").toAbsolutePath();
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseUrl(url).start();
                L2psPeer alice = L2psPeer.connect(server.l2psUri());
                java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                java.sql.ResultSet r = c.createStatement().executeQuery(
                        "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
            alice.register();
            assertThat(r.next()).isTrue();
            assertThat(r.getString(1)).as("WRITE_DELAY of the server's database").isEqualTo("0");
        }
    }
}
