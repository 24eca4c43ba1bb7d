package io.github.demosim.server.internal.store;

import java.util.UUID;

/** The store on embedded H2, in memory. */
class H2MessageStoreTests extends MessageStoreContract {
    private final String url = "jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    @Override
    String url() {
        return url;
    }
}
