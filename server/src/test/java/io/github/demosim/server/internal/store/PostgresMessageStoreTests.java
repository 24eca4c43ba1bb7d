package io.github.demosim.server.internal.store;

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
}
