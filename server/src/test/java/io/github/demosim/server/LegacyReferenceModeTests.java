package io.github.demosim.server;

/** legacy-and-crypto.md §C.2 items 19–27 against the server in reference mode. */
class LegacyReferenceModeTests extends LegacyConformanceTests {
    @Override
    protected ServerMode mode() {
        return ServerMode.REFERENCE;
    }
}
