/** The Tyrus transport provider. */
module io.github.demosim.transport.tyrus {
    requires io.github.demosim;
}
