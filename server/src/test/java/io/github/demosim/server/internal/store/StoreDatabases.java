package io.github.demosim.server.internal.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** The databases a store test runs on: H2 in memory, H2 in a file, and PostgreSQL when the environment names one. */
final class StoreDatabases {
    private StoreDatabases() {
    }

    /**
     * Fresh database URLs.
     *
     * @param dir where the H2 file goes
     * @param name a prefix for the databases' names
     * @return H2 in memory, H2 in a file, then {@code DEMOS_IM_TEST_POSTGRES_URL} if it names a PostgreSQL database
     */
    static Stream<String> urls(Path dir, String name) {
        String unique = name + "-" + UUID.randomUUID();
        List<String> urls = new ArrayList<>(List.of("jdbc:h2:mem:" + unique + ";DB_CLOSE_DELAY=-1",
                "jdbc:h2:file:" + dir.resolve(unique).toAbsolutePath()));
        String postgres = System.getenv("DEMOS_IM_TEST_POSTGRES_URL");
        if (postgres != null && postgres.startsWith("jdbc:postgresql:")) {
            urls.add(postgres);
        }
        return urls.stream();
    }
}
