/** The Jackson codec provider. */
module io.github.demosim.codec.json {
    requires io.github.demosim;
}
