package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Wire;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 1: a database that breaks under the server is detected, never hidden behind
 * {@code INTERNAL_ERROR} for ever. H2 closes its store after an error inside it (out of memory, I/O), and then
 * every statement on the connections the server holds fails with "The database has been closed" while the
 * connections still look valid: the server used to keep them and answer every request with an internal error
 * until it was restarted. Here the store is closed the way H2 closes it after such an error.
 */
class StoreFailureTests {
    private static final Duration GUARD = Duration.ofSeconds(60);

    /** Closes the H2 store of a database the way H2 does after an error inside it (test access to H2 internals). */
    private static void breakH2Store(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url)) {
            org.h2.engine.SessionLocal session = (org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c)
                    .getSession();
            session.getDatabase().getStore().getMvStore().closeImmediately();
        }
    }

    @Test
    void aStoreThatH2ClosedIsReopenedAndTheServerServesAgain(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("db");
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseFile(db).start()) {
            try (L2psPeer a = L2psPeer.connect(server.l2psUri())) {
                a.register();
            }
            assertThat(server.isReady()).isTrue();
            breakH2Store("jdbc:h2:file:" + db.toAbsolutePath());
            long deadline = System.nanoTime() + GUARD.toNanos();
            int failures = 0;
            while (true) {
                try (L2psPeer p = L2psPeer.connect(server.l2psUri())) {
                    p.ws.send(p.registerFrame(L2psPeer.UID, System.currentTimeMillis()));
                    JsonValue reply = p.ws.awaitFrame(f -> java.util.List.of("registered", "error")
                            .contains(Wire.type(f)));
                    if ("registered".equals(Wire.type(reply))) {
                        break;
                    }
                    assertThat(Wire.str(reply, "payload.code")).isEqualTo("INTERNAL_ERROR");
                    failures++;
                }
                assertThat(System.nanoTime()).as("the server kept failing: %d registrations refused", failures)
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            assertThat(server.isReady()).isTrue();
            System.out.printf("FIGURE store-failure/recovered: H2 closed its store; %d registrations failed, then the "
                    + "server reopened the database and served again%n", failures);
        }
    }

    @Test
    void aDatabaseThatCannotBeReopenedStopsTheServerWithItsReason(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("db");
        DemosImServer server = DemosImServer.newBuilder().l2psPort(0).disableLegacy().databaseFile(db)
                .databaseRecoveryTimeout(Duration.ofSeconds(1)).start();
        try (L2psPeer watcher = L2psPeer.connect(server.l2psUri())) {
            watcher.register();
            breakH2Store("jdbc:h2:file:" + db.toAbsolutePath());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f); // the database is gone for good: the server must not recreate it empty
                }
            }
            try (L2psPeer p = L2psPeer.connect(server.l2psUri())) {
                p.ws.send(p.registerFrame(L2psPeer.UID, System.currentTimeMillis()));
                assertThat(Wire.str(p.ws.awaitFrame(f -> "error".equals(Wire.type(f))), "payload.code"))
                        .isEqualTo("INTERNAL_ERROR");
            }
            CompletableFuture<Void> end = server.termination().toCompletableFuture();
            Throwable failure = end.handle((ok, e) -> e instanceof java.util.concurrent.CompletionException
                    ? e.getCause() : e).get(GUARD.toSeconds(), TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(ImException.class).hasMessageContaining("[IM-SERVER-003]")
                    .hasMessageContaining("could not be reopened");
            assertThat(((ImException) failure).code()).isEqualTo(ErrorCode.SERVER_STORE_FAILED);
            assertThat(server.isReady()).isFalse();
            assertThat(watcher.ws.awaitClose()).as("open connections are closed with 1011").isEqualTo(1011);
            assertThat(Files.exists(dir.resolve("db.mv.db"))).as("no empty database recreated").isFalse();
        } finally {
            server.close();
        }
    }
}
