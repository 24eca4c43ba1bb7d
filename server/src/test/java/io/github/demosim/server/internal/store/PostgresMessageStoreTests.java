package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The store on PostgreSQL. Runs when {@code DEMOS_IM_TEST_POSTGRES_URL} names an empty database the tests may
 * write to (e.g. {@code jdbc:postgresql://127.0.0.1:5432/demos_test?user=demos&password=demos}); the tables are
 * dropped and recreated.
 */
@EnabledIfEnvironmentVariable(named = "DEMOS_IM_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresMessageStoreTests extends MessageStoreContract {
    @Override
    String url() {
        return System.getenv("DEMOS_IM_TEST_POSTGRES_URL");
    }

    @Override
    int writers() {
        return 2; // ServerRuntime.POSTGRES_WRITERS: the contract as the server runs it on PostgreSQL
    }

    // docs/cluster.md: the nodes of a cluster may start together on an empty database; one migrates, the others
    // wait for it (before the lock, one of them failed on migration 1 with a duplicate key)
    @Test
    void serversStartingTogetherOnAnEmptyDatabaseAllOpenIt() throws Exception {
        store.close();
        dropTables(url());
        int starting = 4;
        ExecutorService pool = Executors.newFixedThreadPool(starting);
        List<JdbcMessageStore> opened = new ArrayList<>();
        try {
            List<Callable<JdbcMessageStore>> opens = new ArrayList<>();
            for (int i = 0; i < starting; i++) {
                opens.add(() -> JdbcMessageStore.open(url(), null, null, 1));
            }
            for (Future<JdbcMessageStore> f : pool.invokeAll(opens)) {
                opened.add(f.get(120, TimeUnit.SECONDS)); // throws if one failed
            }
            assertThat(opened).hasSize(starting);
        } finally {
            opened.forEach(JdbcMessageStore::close);
            pool.shutdownNow();
        }
        store = openStore();
    }
}
