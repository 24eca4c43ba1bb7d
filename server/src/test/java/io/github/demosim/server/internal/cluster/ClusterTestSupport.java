package io.github.demosim.server.internal.cluster;

import io.github.demosim.server.internal.store.JdbcMessageStore;
import io.github.demosim.server.support.ServerTestBase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The test PostgreSQL of .ci/with-postgres, emptied and given the schema. */
final class ClusterTestSupport {
    static final String URL_VARIABLE = "DEMOS_IM_TEST_POSTGRES_URL";

    private ClusterTestSupport() {
    }

    static String url() {
        return System.getenv(URL_VARIABLE);
    }

    /** Drops every table and creates the schema afresh (migrations included). */
    static ClusterDatabase freshDatabase(String url) {
        ServerTestBase.dropTables(url);
        JdbcMessageStore.open(url, null, null, 1).close();
        return new ClusterDatabase(url, null, null);
    }

    static void sql(String url, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Waits up to a generous bound (the machine is shared and slow): the tests assert outcomes, not timings. */
    static void await(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound.toSeconds() + " s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
