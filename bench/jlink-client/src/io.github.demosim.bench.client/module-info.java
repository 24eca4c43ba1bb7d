/**
 * A small client application for the jlink image of {@code bench/jlink-client/build.sh}: it needs only the API;
 * the image adds exactly one crypto, one codec and one transport provider module.
 */
module io.github.demosim.bench.client {
    requires io.github.demosim;
}
