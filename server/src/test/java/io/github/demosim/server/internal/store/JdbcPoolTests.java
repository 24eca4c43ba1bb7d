package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The pool's transactions: one the database rolls back to break a deadlock is run again (issue 16). */
class JdbcPoolTests {
    private JdbcPool pool;

    @BeforeEach
    void open() throws SQLException {
        pool = new JdbcPool("jdbc:h2:mem:pool-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000", null,
                null, 2);
        pool.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (k INT PRIMARY KEY, v INT NOT NULL)");
                s.execute("INSERT INTO t VALUES (1, 0), (2, 0)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void twoTransactionsThatDeadlockBothCommit() throws Exception {
        // Each takes one row, waits until the other took the other row, then asks for it: a cycle, which H2
        // breaks by rolling one back (SQL state 40001). The victim runs again once the other committed.
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> crossUpdate(1, 2, bothHoldOne, runs));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> crossUpdate(2, 1, bothHoldOne, runs));
        CompletableFuture.allOf(first, second).get(60, TimeUnit.SECONDS);
        assertThat(runs.get()).as("a victim ran again (a retry may meet the other again)").isGreaterThanOrEqualTo(3);
        int sum = pool.withConnection(c -> {
            try (Statement s = c.createStatement(); var r = s.executeQuery("SELECT SUM(v) FROM t")) {
                r.next();
                return r.getInt(1);
            }
        });
        assertThat(sum).as("both transactions' updates, once each").isEqualTo(4);
    }

    @Test
    void otherFailuresAreNotRunAgain() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> pool.inTransaction(c -> {
            runs.incrementAndGet();
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("INSERT INTO t VALUES (1, 0)"); // duplicate key, 23505
            }
        })).isInstanceOf(SQLException.class);
        assertThat(runs.get()).isEqualTo(1);
    }

    private void crossUpdate(int mine, int theirs, CountDownLatch bothHoldOne, AtomicInteger runs) {
        try {
            pool.inTransaction(c -> {
                boolean firstRun = runs.incrementAndGet() <= 2;
                add(c, mine);
                if (firstRun) {
                    bothHoldOne.countDown();
                    try {
                        bothHoldOne.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                add(c, theirs);
                return null;
            });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(java.sql.Connection c, int k) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE t SET v = v + 1 WHERE k = ?")) {
            p.setInt(1, k);
            p.executeUpdate();
        }
    }
}
