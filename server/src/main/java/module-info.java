/** The reference server for both Demos messaging protocols. */
module io.github.demosim.server {
    requires io.github.demosim;
}
