package io.github.demosim.server;

/** l2ps.md §12 items 1–30 against the server in hardened mode, with its documented differences. */
class L2psHardenedModeTests extends L2psConformanceTests {
    @Override
    protected ServerMode mode() {
        return ServerMode.HARDENED;
    }
}
