package io.github.demosim.internal.provider;

import java.util.List;
import java.util.Map;

/**
 * The exact provider-lookup messages, written out per SPI so that a change to any of them is a visible test
 * change. Candidates are passed already described, e.g. {@code 'alpha' (alpha.codec.AlphaCodecProvider,
 * module alpha.codec)}.
 */
final class Expected {

    /** Per SPI key: the SPI's simple name, its property, and the install hint. */
    private record Spi(String type, String property, String install) {
    }

    private static final Map<String, Spi> SPIS = Map.of(
            "transport", new Spi("TransportProvider", "demos.im.transport",
                    "Add io.github.demosim:demos-im-transport-jdk, io.github.demosim:demos-im-transport-javawebsocket"
                            + " or io.github.demosim:demos-im-transport-tyrus to your dependencies (in a jlink image:"
                            + " --add-modules io.github.demosim.transport.jdk, io.github.demosim.transport.javawebsocket"
                            + " or io.github.demosim.transport.tyrus)."),
            "crypto", new Spi("CryptoProvider", "demos.im.crypto",
                    "Add io.github.demosim:demos-im-crypto-bouncycastle (or, on Java 25+, io.github.demosim:demos-im-crypto-jdk)"
                            + " to your dependencies (in a jlink image: --add-modules"
                            + " io.github.demosim.crypto.bouncycastle or io.github.demosim.crypto.jdk)."),
            "codec", new Spi("CodecProvider", "demos.im.codec",
                    "Add io.github.demosim:demos-im-codec-json to your dependencies (in a jlink image:"
                            + " --add-modules io.github.demosim.codec.json)."));

    private Expected() {
    }

    static String type(String spi) {
        return SPIS.get(spi).type();
    }

    static String property(String spi) {
        return SPIS.get(spi).property();
    }

    static String notFound(String spi) {
        Spi s = SPIS.get(spi);
        return "No " + s.type() + " found on the module path or class path. " + s.install() + " [IM-PROVIDER-001]";
    }

    static String ambiguous(String spi, List<String> candidates) {
        Spi s = SPIS.get(spi);
        return "Several " + s.type() + "s found and none chosen: " + String.join(", ", candidates)
                + ". Choose one by name on the builder or with -D" + s.property() + "=<name>, or keep only one of"
                + " them on the module path or class path. [IM-PROVIDER-002]";
    }

    static String unknownByProperty(String spi, String value, List<String> candidates) {
        Spi s = SPIS.get(spi);
        return "No " + s.type() + " is named '" + value + "' (-D" + s.property() + "=" + value + "). Present: "
                + String.join(", ", candidates) + ". Set -D" + s.property() + " to one of these names, or remove"
                + " it. [IM-PROVIDER-003]";
    }

    static String unknownByPropertyNonePresent(String spi, String value) {
        Spi s = SPIS.get(spi);
        return "No " + s.type() + " is named '" + value + "' (-D" + s.property() + "=" + value + "), and none is"
                + " present at all. " + s.install() + " [IM-PROVIDER-003]";
    }

    static String unknownInCode(String spi, String value, List<String> candidates) {
        Spi s = SPIS.get(spi);
        return "No " + s.type() + " is named '" + value + "' (asked for by name in code). Present: "
                + String.join(", ", candidates) + ". Use one of these names. [IM-PROVIDER-003]";
    }

    static String sameName(String spi, String value, List<String> candidates) {
        Spi s = SPIS.get(spi);
        return "Several " + s.type() + "s are named '" + value + "' (asked for by name in code): "
                + String.join(", ", candidates) + ". Remove all but one of them from the module path or class"
                + " path. [IM-PROVIDER-002]";
    }

    static String broken(String spi, String serviceConfigurationError) {
        Spi s = SPIS.get(spi);
        return "A " + s.type() + " is declared but cannot be loaded: " + serviceConfigurationError
                + ". Check that its jar is complete and its dependencies are present. [IM-PROVIDER-004]";
    }
}
