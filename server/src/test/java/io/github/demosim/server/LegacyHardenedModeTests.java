package io.github.demosim.server;

/** legacy-and-crypto.md §C.2 items 19–27 against the server in hardened mode, with its documented differences. */
class LegacyHardenedModeTests extends LegacyConformanceTests {
    @Override
    protected ServerMode mode() {
        return ServerMode.HARDENED;
    }
}
