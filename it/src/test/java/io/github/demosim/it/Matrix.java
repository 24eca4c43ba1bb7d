package io.github.demosim.it;

import io.github.demosim.server.ServerMode;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** Every transport against both server modes. */
final class Matrix {
    static final String[] TRANSPORTS = {"java-websocket", "tyrus", "jdk"};

    private Matrix() {
    }

    /** Every transport, by provider name. */
    static Stream<String> transports() {
        return Stream.of(TRANSPORTS);
    }

    /** Every transport with every mode. */
    static Stream<Arguments> all() {
        return Stream.of(TRANSPORTS).flatMap(t -> Stream.of(ServerMode.values()).map(m -> Arguments.of(t, m)));
    }

    /** Every transport, hardened server only. */
    static Stream<Arguments> hardened() {
        return Stream.of(TRANSPORTS).map(t -> Arguments.of(t, ServerMode.HARDENED));
    }

    /** Every transport, reference server only. */
    static Stream<Arguments> reference() {
        return Stream.of(TRANSPORTS).map(t -> Arguments.of(t, ServerMode.REFERENCE));
    }
}
