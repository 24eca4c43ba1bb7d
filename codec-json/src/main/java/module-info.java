/**
 * The Jackson codec: frames of both Demos messaging protocols to JSON text and back. Exports nothing.
 *
 * <p>Only Jackson's streaming API ({@code jackson-core}) is used, so no package is opened to reflection and
 * {@code jackson-databind} is not needed.
 */
module io.github.demosim.codec.json {
    requires io.github.demosim;
    requires com.fasterxml.jackson.core;

    provides io.github.demosim.spi.CodecProvider with io.github.demosim.codec.json.JacksonCodecProvider;
}
