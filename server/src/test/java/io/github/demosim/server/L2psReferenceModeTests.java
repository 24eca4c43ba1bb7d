package io.github.demosim.server;

/** l2ps.md §12 items 1–30 against the server in reference mode. */
class L2psReferenceModeTests extends L2psConformanceTests {
    @Override
    protected ServerMode mode() {
        return ServerMode.REFERENCE;
    }
}
