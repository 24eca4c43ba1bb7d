/** The demos-im command. */
module io.github.demosim.cli {
    requires io.github.demosim;
}
