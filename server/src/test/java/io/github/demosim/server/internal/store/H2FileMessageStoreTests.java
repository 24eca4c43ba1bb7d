package io.github.demosim.server.internal.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store on embedded H2 in a file, as the server runs it. */
class H2FileMessageStoreTests extends MessageStoreContract {
    @TempDir
    Path dir;

    @Override
    String url() {
        return "jdbc:h2:file:" + dir.resolve("store").toAbsolutePath(); // opened with WRITE_DELAY=0, as the server does
    }
}
