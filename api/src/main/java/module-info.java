/**
 * The demos-im API: the messaging peers, the frame model of both Demos messaging protocols, the Demos
 * cryptographic constructions and the service-provider interfaces that transports, crypto and codecs
 * implement.
 *
 * <p>This module depends on nothing but the JDK. Providers are found with {@link java.util.ServiceLoader}
 * once per peer, when it is built; choose one explicitly on the builder, or with a system property:
 * <ul>
 *   <li>{@systemProperty demos.im.transport}: the {@code name()} of the transport provider to use
 *       ({@code jdk}, {@code java-websocket}, {@code tyrus}); default: the single one present.</li>
 *   <li>{@systemProperty demos.im.crypto}: the crypto provider ({@code bouncycastle}, or {@code jdk} on
 *       Java 25+); default: the single one present.</li>
 *   <li>{@systemProperty demos.im.codec}: the codec provider ({@code jackson}); default: the single one present.</li>
 * </ul>
 */
module io.github.demosim {
    exports io.github.demosim;
    exports io.github.demosim.crypto;
    exports io.github.demosim.frame;
    exports io.github.demosim.frame.l2ps;
    exports io.github.demosim.frame.legacy;
    exports io.github.demosim.spi;

    // JSON exactly as JSON.stringify writes it (Stringify, JsNumber) and the frame mapping: for this project's
    // server, whose reference mode must produce the reference's bytes, and its CLI's output lines.
    exports io.github.demosim.internal.wire to io.github.demosim.server, io.github.demosim.cli;
    // One serial executor (in order, one at a time, holds, rejection-safe) for the peers and the server's
    // connections.
    exports io.github.demosim.internal.concurrent to io.github.demosim.server;
    // The crypto providers' argument checks and error texts, the same whichever provider runs.
    exports io.github.demosim.internal.primitives to io.github.demosim.crypto.bouncycastle,
            io.github.demosim.crypto.jdk;
    // What this project's transports share: one text per connect failure, close and abort, the timer thread.
    exports io.github.demosim.internal.transport to io.github.demosim.transport.jdk,
            io.github.demosim.transport.javawebsocket, io.github.demosim.transport.tyrus;

    uses io.github.demosim.spi.TransportProvider;
    uses io.github.demosim.spi.CryptoProvider;
    uses io.github.demosim.spi.CodecProvider;
}
