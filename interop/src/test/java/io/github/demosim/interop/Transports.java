package io.github.demosim.interop;

import io.github.demosim.server.ServerMode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The transports the Java side of the interop tests runs on. The tests where a Java peer talks to the SDK run
 * once per server mode and transport: the JDK's own WebSocket (the default, see docs/transports.md) and
 * Java-WebSocket. (Tyrus is exercised by the integration and reliability suites.)
 */
final class Transports {
    static final List<String> NAMES = List.of("jdk", "java-websocket");

    private Transports() {
    }

    /** Every server mode with every transport. */
    static Stream<Arguments> withModes() {
        return Stream.of(ServerMode.values()).flatMap(m -> NAMES.stream().map(t -> Arguments.of(m, t)));
    }
}
