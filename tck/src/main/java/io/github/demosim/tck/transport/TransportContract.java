package io.github.demosim.tck.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportProvider;
import io.github.demosim.spi.TransportSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TransportProvider} passes. A provider's test class implements this interface and
 * supplies the provider; the tests run against a Jetty 12 server and raw TCP fixtures, all on 127.0.0.1.
 *
 * <p>Time limits in these tests are hang guards, except where the contract itself is about time (a connect
 * must fail within its connect timeout), which is checked with generous slack.
 */
public interface TransportContract {

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    TransportProvider provider();

    /**
     * Returns the close code the server receives when this transport closes with {@code code}: the same code,
     * unless the WebSocket client the transport is built on forbids sending it. java.net.http refuses 1002,
     * 1003, 1007, 1009 and 1010 (it keeps them for its own protocol checks); a transport on it sends 1008 (policy
     * violation) instead and documents that. The contract checks that code exactly.
     *
     * @param code the code the transport closes with, as its listener reports it
     * @return the code on the wire
     */
    default int codeOnTheWire(int code) {
        return code;
    }

    /** Slack on top of a contractual timeout, for a loaded 2-core machine. */
    Duration SLACK = Duration.ofSeconds(3);

    private TransportSession connect(URI uri, RecordingListener listener) throws Exception {
        return connect(TransportOptions.of(uri), listener);
    }

    private TransportSession connect(TransportOptions options, RecordingListener listener) throws Exception {
        return provider().connect(options, listener).get(30, TimeUnit.SECONDS);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static TransportException connectFailure(CompletableFuture<TransportSession> attempt) throws Exception {
        try {
            TransportSession unexpected = attempt.get(30, TimeUnit.SECONDS);
            unexpected.abort();
            throw new AssertionError("connect succeeded but should have failed: " + unexpected);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(TransportException.class);
            return (TransportException) e.getCause();
        }
    }

    /** Text made of ASCII, Cyrillic, CJK and 4-byte emoji (surrogate pairs): every UTF-8 sequence length. */
    @Provide
    default Arbitrary<String> utf8Text() {
        Arbitrary<String> unit = Arbitraries.oneOf(
                Arbitraries.chars().range(' ', '~').map(String::valueOf),
                Arbitraries.chars().range('\u0400', '\u04ff').map(String::valueOf),
                Arbitraries.chars().range('\u4e00', '\u9fff').map(String::valueOf),
                Arbitraries.integers().between(0x1f300, 0x1f64f).map(Character::toString))
                .list().ofMinSize(1).ofMaxSize(12).map(parts -> String.join("", parts));
        Arbitrary<Integer> repeat = Arbitraries.integers().between(1, 20_000).shrinkTowards(1)
                .withDistribution(net.jqwik.api.RandomDistribution.biased());
        return Combinators.combine(unit, repeat).as((u, n) -> u.repeat(n));
    }

    /**
     * Frames of every UTF-8 width from one byte to about a megabyte go out and come back intact and in order.
     * 40 tries, each a batch of frames on one connection: connecting dominates the cost.
     */
    @Property(tries = 40)
    default void framesArriveIntactAndInOrder(@ForAll("frameBatches") List<String> frames) throws Exception {
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(ContractServers.plain().uri("/echo"), listener);
        for (String frame : frames) {
            session.sendText(frame);
        }
        for (String frame : frames) {
            String echoed = listener.nextText();
            assertThat(echoed.length()).isEqualTo(frame.length());
            assertThat(echoed).isEqualTo(frame);
        }
        await(session.close(1000, "done"));
        await(listener.closed());
        assertThat(listener.violations()).isEmpty();
    }

    /**
     * Batches of 1 to 5 frames.
     *
     * @return the batches
     */
    @Provide
    default Arbitrary<List<String>> frameBatches() {
        return Arbitraries.oneOf(utf8Text(), Arbitraries.just("a"), Arbitraries.just("é"))
                .list().ofMinSize(1).ofMaxSize(5);
    }

    /** The largest frame the defaults allow, 16 MiB of UTF-8, arrives intact in both directions. */
    @Test
    default void sixteenMebibyteFrameArrivesIntact() throws Exception {
        String emoji = Character.toString(0x1f600);
        String frame = "x".repeat(TransportOptions.DEFAULT_MAX_FRAME_BYTES - 4) + emoji;
        assertThat(frame.getBytes(StandardCharsets.UTF_8)).hasSize(TransportOptions.DEFAULT_MAX_FRAME_BYTES);
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(ContractServers.plain().uri("/echo"), listener);
        session.sendText(frame).get(180, TimeUnit.SECONDS);
        // 32 MiB through two UTF-8 codecs and the loopback: seconds on a quiet machine, over 30 s seen on a loaded one.
        String echoed = listener.nextText(Duration.ofSeconds(180));
        assertThat(echoed.length()).isEqualTo(frame.length());
        assertThat(echoed.equals(frame)).as("16 MiB frame came back equal").isTrue();
        await(session.close(1000, ""));
        assertThat(await(listener.closed()).code()).isEqualTo(1000);
    }

    /** 10,000 frames keep their order from client to server and back. */
    @Test
    default void tenThousandFramesKeepTheirOrderClientToServer() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/echo");
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        List<CompletableFuture<Void>> sends = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            sends.add(session.sendText("c-" + i));
        }
        await(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)));
        for (int i = 0; i < 10_000; i++) {
            assertThat(listener.nextText()).isEqualTo("c-" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(peer.received().poll(30, TimeUnit.SECONDS)).isEqualTo("c-" + i);
        }
        await(session.close(1000, ""));
        await(listener.closed());
        assertThat(listener.violations()).isEmpty();
    }

    /** 10,000 frames pushed by the server arrive in order. */
    @Test
    default void tenThousandFramesKeepTheirOrderServerToClient() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/sink");
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        for (int i = 0; i < 10_000; i++) {
            peer.send("s-" + i);
        }
        for (int i = 0; i < 10_000; i++) {
            assertThat(listener.nextText()).isEqualTo("s-" + i);
        }
        await(session.close(1000, ""));
        await(listener.closed());
        assertThat(listener.violations()).isEmpty();
        assertThat(listener.threads()).as("one delivery thread per session").hasSize(1);
    }

    /** Binary frames arrive as their UTF-8 text. */
    @Test
    default void binaryFramesArriveAsUtf8Text() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/sink");
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        String text = "binär ✓ " + Character.toString(0x1f680);
        server.peer(uri).sendBinary(text.getBytes(StandardCharsets.UTF_8));
        assertThat(listener.nextText()).isEqualTo(text);
        await(session.close(1000, ""));
        await(listener.closed());
    }

    /** A binary frame that is not UTF-8 fails the connection with 1007 instead of delivering garbage. */
    @Test
    default void binaryFrameThatIsNotUtf8FailsTheConnection() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/sink");
        RecordingListener listener = RecordingListener.recording();
        connect(uri, listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        peer.sendBinary(new byte[] {(byte) 0xc3, (byte) 0x28});
        assertThat(await(listener.error()).code()).isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST);
        assertThat(await(listener.closed()).code()).isEqualTo(1007);
        assertThat(await(peer.closeCode())).isEqualTo(codeOnTheWire(1007));
        assertThat(listener.texts()).isEmpty();
        assertThat(listener.violations()).isEmpty();
    }

    /** A close started by the client reports its code and reason, as local, and the server sees them. */
    @Test
    default void clientCloseReportsItsCode() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/echo");
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        assertThat(session.isOpen()).isTrue();
        await(session.close(4000, "client says bye"));
        assertThat(await(listener.closed())).isEqualTo(new RecordingListener.Closing(4000, "client says bye", false));
        assertThat(await(peer.closeCode())).isEqualTo(4000);
        assertThat(peer.closeReason()).isEqualTo("client says bye");
        assertThat(session.isOpen()).isFalse();
        assertThat(listener.error()).isNotDone();
        assertThat(listener.violations()).isEmpty();
    }

    /** A close started by the server reports the server's code and reason, as remote, without an error. */
    @Test
    default void serverCloseReportsItsCode() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/echo");
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        server.peer(uri).close(4001, "server says bye");
        assertThat(await(listener.closed())).isEqualTo(new RecordingListener.Closing(4001, "server says bye", true));
        assertThat(listener.error()).isNotDone();
        assertThat(session.isOpen()).isFalse();
        assertThat(listener.violations()).isEmpty();
    }

    /** A server that drops the TCP connection is reported as a lost connection, then 1006. */
    @Test
    default void droppedConnectionIsReported() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/echo");
        RecordingListener listener = RecordingListener.recording();
        connect(uri, listener);
        server.peer(uri).disconnect();
        assertThat(await(listener.error()).code()).isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST);
        RecordingListener.Closing closing = await(listener.closed());
        assertThat(closing.code()).isEqualTo(1006);
        assertThat(closing.remote()).isTrue();
        assertThat(listener.violations()).isEmpty();
    }

    /** Abort ends the session at once: onClosed(1006, local), no error, sends fail afterwards. */
    @Test
    default void abortClosesAtOnceAndSendsFailAfterwards() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/echo");
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        session.abort();
        RecordingListener.Closing closing = await(listener.closed());
        assertThat(closing.code()).isEqualTo(1006);
        assertThat(closing.remote()).isFalse();
        await(peer.closeCode()); // the server sees the connection end (the code it sees is the transport's choice)
        assertThat(session.isOpen()).isFalse();
        CompletableFuture<Void> late = session.sendText("too late");
        assertThatThrownBy(() -> late.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(TransportException.class)
                .satisfies(e -> assertThat(((TransportException) e.getCause()).code())
                        .isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST));
        assertThat(listener.error()).isNotDone();
        assertThat(listener.violations()).isEmpty();
    }

    /** Close arguments that cannot be sent are refused at the call. */
    @Test
    default void invalidCloseArgumentsAreRefused() throws Exception {
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(ContractServers.plain().uri("/echo"), listener);
        assertThatThrownBy(() -> session.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> session.close(1000, "é".repeat(62))).isInstanceOf(IllegalArgumentException.class);
        assertThat(session.isOpen()).isTrue();
        await(session.close(1000, ""));
        await(listener.closed());
    }

    /** A connect to a closed port fails with TRANSPORT_CONNECT_FAILED within the connect timeout. */
    @Test
    default void refusedConnectionFailsWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Duration timeout = Duration.ofSeconds(2);
        RecordingListener listener = RecordingListener.recording();
        long start = System.nanoTime();
        TransportException failure = connectFailure(provider().connect(TransportOptions
                .newBuilder(URI.create("ws://127.0.0.1:" + port + "/echo")).connectTimeout(timeout).build(), listener));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(SLACK));
        assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECT_FAILED);
        assertThat(failure.getMessage()).contains("127.0.0.1:" + port).contains("IM-TRANSPORT-001");
        assertThat(failure.getCause()).isNotNull();
        assertThat(listener.closed()).isNotDone();
    }

    /**
     * An unreachable host (TCP connect never answered) fails within the connect timeout, and the abandoned
     * attempt releases its threads and socket while the host still does not answer.
     */
    @Test
    default void unreachableHostFailsWithinTheConnectTimeout() throws Exception {
        try (FullBacklogServer unreachable = FullBacklogServer.start()) {
            Duration timeout = Duration.ofMillis(800);
            TransportOptions options = TransportOptions.newBuilder(unreachable.uri()).connectTimeout(timeout).build();
            ResourceCounts initial = ResourceCounts.now();
            connectFailure(provider().connect(options, RecordingListener.recording())); // loads what failing needs
            ResourceCounts baseline = ResourceCounts.awaitAtMost(initial, 1, Integer.MAX_VALUE / 2, 10_000);
            List<String> fdsBefore = ResourceCounts.fdTargets();
            RecordingListener listener = RecordingListener.recording();
            long start = System.nanoTime();
            TransportException failure = connectFailure(provider().connect(options, listener));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(SLACK));
            assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECT_FAILED);
            assertThat(failure.getMessage()).contains(unreachable.uri().toString());
            assertThat(listener.closed()).isNotDone();
            // Waits for what is asserted below: threads back to at most one above the start (a thread a transport
            // shares between all its connections may stay), sockets back to the baseline.
            ResourceCounts after = ResourceCounts.awaitAtMost(new ResourceCounts(initial.threads(), baseline.fds()),
                    1, 0, 10_000);
            assertThat(after.threads()).as("threads: %s", ResourceCounts.threadNames())
                    .isLessThanOrEqualTo(initial.threads() + 1);
            assertThat(after.fds()).as("open file descriptors before %s, after %s", fdsBefore,
                    ResourceCounts.fdTargets()).isLessThanOrEqualTo(baseline.fds());
        }
    }

    /** A server that accepts TCP but never answers the upgrade fails within the connect timeout. */
    @Test
    default void unansweredUpgradeFailsWithinTheConnectTimeout() throws Exception {
        try (UnresponsiveServer silent = UnresponsiveServer.neverUpgrading()) {
            Duration timeout = Duration.ofMillis(800);
            RecordingListener listener = RecordingListener.recording();
            long start = System.nanoTime();
            TransportException failure = connectFailure(provider().connect(TransportOptions
                    .newBuilder(silent.uri()).connectTimeout(timeout).build(), listener));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout.plus(SLACK));
            assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECT_FAILED);
            assertThat(listener.closed()).isNotDone();
        }
    }

    /**
     * What a connect failure says, exactly, for each cause the contract can produce over real sockets: the same
     * words on every transport (an application that shows or matches them must not depend on the transport), and
     * the library's own exception as the cause. Spelled here, apart from the transports' shared mapper, as the
     * check of it.
     */
    private static String couldNotConnect(URI uri, String what) {
        return "Could not open a WebSocket connection to " + uri + ": " + what + " [IM-TRANSPORT-001]";
    }

    /** A refused TCP connection says so, in the same words on every transport. */
    @Test
    default void aRefusedConnectionReadsTheSameOnEveryTransport() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        URI uri = URI.create("ws://127.0.0.1:" + port + "/echo");
        TransportException failure = connectFailure(provider().connect(TransportOptions.of(uri),
                RecordingListener.recording()));
        assertThat(failure.getMessage()).isEqualTo(couldNotConnect(uri, "the connection was refused. Check that the"
                + " server is running and that the URI's host and port are right."));
        assertThat(failure.getCause()).isNotNull();
    }

    /** An upgrade answered with an HTTP status other than 101 names the status, on every transport alike. */
    @Test
    default void anUpgradeRefusedWithAnHttpStatusReadsTheSameOnEveryTransport() throws Exception {
        for (int status : new int[] {404, 403}) {
            try (UnresponsiveServer refusing = UnresponsiveServer.refusingUpgrade(status)) {
                RecordingListener listener = RecordingListener.recording();
                TransportException failure = connectFailure(provider().connect(TransportOptions
                        .newBuilder(refusing.uri()).connectTimeout(Duration.ofSeconds(10)).build(), listener));
                assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECT_FAILED);
                assertThat(failure.getMessage()).isEqualTo(couldNotConnect(refusing.uri(), "the server answered the"
                        + " WebSocket upgrade with HTTP " + status + " instead of 101. Check the URI's path and that"
                        + " the server speaks WebSocket there."));
                assertThat(listener.closed()).isNotDone();
            }
        }
    }

    /** An untrusted server certificate is a TLS failure, in the same words on every transport. */
    @Test
    default void anUntrustedCertificateReadsTheSameOnEveryTransport() throws Exception {
        URI uri = ContractServers.tls().uri("/echo");
        TransportException failure = connectFailure(provider().connect(TransportOptions.newBuilder(uri)
                .connectTimeout(Duration.ofSeconds(10)).build(), RecordingListener.recording()));
        assertThat(failure.getMessage()).isEqualTo(couldNotConnect(uri, "the TLS handshake failed. Check the"
                + " server's certificate and host name, or pass an SSLContext that trusts it with"
                + " TransportOptions.sslContext."));
        // No cause asserted: Java-WebSocket's threads race to the handshake and it often reports none.
    }

    /** A server that never answers the upgrade times out, in the same words on every transport. */
    @Test
    default void aConnectTimeoutReadsTheSameOnEveryTransport() throws Exception {
        try (UnresponsiveServer silent = UnresponsiveServer.neverUpgrading()) {
            TransportException failure = connectFailure(provider().connect(TransportOptions
                    .newBuilder(silent.uri()).connectTimeout(Duration.ofMillis(700)).build(),
                    RecordingListener.recording()));
            assertThat(failure.getMessage()).isEqualTo(couldNotConnect(silent.uri(), "it did not complete within the"
                    + " connect timeout of 700 ms (TCP, TLS and upgrade). Check that the server is reachable and"
                    + " answering, or raise TransportOptions.connectTimeout."));
        }
    }

    /** An unknown host name says which, in the same words on every transport. */
    @Test
    default void anUnknownHostReadsTheSameOnEveryTransport() throws Exception {
        URI uri = URI.create("ws://no-such-host.invalid:3006/echo"); // RFC 6761: .invalid never resolves
        TransportException failure = connectFailure(provider().connect(TransportOptions.newBuilder(uri)
                .connectTimeout(Duration.ofSeconds(10)).build(), RecordingListener.recording()));
        assertThat(failure.getMessage()).isEqualTo(couldNotConnect(uri, "the host no-such-host.invalid is unknown."
                + " Check the URI's host name."));
    }

    /** A peer that stops answering pings is detected: idle-timeout error, then 1006. */
    @Test
    default void deadPeerIsDetectedByTheIdleTimeout() throws Exception {
        try (UnresponsiveServer dead = UnresponsiveServer.deadAfterUpgrade()) {
            Duration idle = Duration.ofMillis(600);
            RecordingListener listener = RecordingListener.recording();
            long start = System.nanoTime();
            TransportSession session = connect(TransportOptions.newBuilder(dead.uri())
                    .pingInterval(Duration.ofMillis(100)).idleTimeout(idle).build(), listener);
            TransportException failure = await(listener.error());
            assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_IDLE_TIMEOUT);
            assertThat(failure.getMessage()).contains(dead.uri().toString());
            RecordingListener.Closing closing = await(listener.closed());
            assertThat(closing.code()).isEqualTo(1006);
            assertThat(closing.remote()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(idle);
            assertThat(session.isOpen()).isFalse();
            assertThat(listener.violations()).isEmpty();
        }
    }

    /** A slow listener overflows the bounded buffer: frames so far, then the overflow error, then 1008. */
    @Test
    default void slowListenerOverflowIsReported() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/sink");
        RecordingListener listener = RecordingListener.blocking();
        connect(TransportOptions.newBuilder(uri).inboundBufferFrames(8).build(), listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        for (int i = 0; i < 200; i++) {
            peer.send("f-" + i);
        }
        // The socket's reader is not blocked by the listener: it sees the overflow and closes with 1008.
        assertThat(await(peer.closeCode())).isEqualTo(1008);
        listener.release();
        TransportException failure = await(listener.error());
        assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_INBOUND_OVERFLOW);
        RecordingListener.Closing closing = await(listener.closed());
        assertThat(closing.code()).isEqualTo(1008);
        assertThat(closing.remote()).isFalse();
        List<String> delivered = new ArrayList<>(listener.texts());
        assertThat(delivered).hasSizeBetween(8, 9);
        assertThat(delivered).isEqualTo(IntStream.range(0, delivered.size()).mapToObj(i -> "f-" + i)
                .collect(Collectors.toList()));
        assertThat(listener.violations()).isEmpty();
    }

    /** An inbound frame larger than maxFrameBytes fails the connection with 1009. */
    @Test
    default void frameLargerThanMaxFrameBytesFailsTheConnection() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uniqueUri("/sink");
        RecordingListener listener = RecordingListener.recording();
        connect(TransportOptions.newBuilder(uri).maxFrameBytes(64 * 1024).build(), listener);
        TestWebSocketServer.Peer peer = server.peer(uri);
        peer.send("y".repeat(64 * 1024));
        assertThat(listener.nextText()).hasSize(64 * 1024);
        peer.send("z".repeat(100 * 1024));
        assertThat(await(listener.error()).code()).isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST);
        RecordingListener.Closing closing = await(listener.closed());
        assertThat(closing.code()).isEqualTo(1009);
        assertThat(closing.remote()).isFalse();
        assertThat(listener.texts()).isEmpty();
        assertThat(listener.violations()).isEmpty();
    }

    /** wss:// with a self-signed certificate works with a user SSLContext that trusts it. */
    @Test
    default void wssWorksWithAUserSslContext() throws Exception {
        TestWebSocketServer server = ContractServers.tls();
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(TransportOptions.newBuilder(server.uri("/echo"))
                .sslContext(ContractServers.trustingTls()).build(), listener);
        session.sendText("über TLS " + Character.toString(0x1f512));
        assertThat(listener.nextText()).isEqualTo("über TLS " + Character.toString(0x1f512));
        await(session.close(1000, "bye"));
        assertThat(await(listener.closed()).code()).isEqualTo(1000);
        assertThat(listener.violations()).isEmpty();
    }

    /** wss:// to a certificate the JDK trust store does not know fails as a connect failure. */
    @Test
    default void wssWithAnUntrustedCertificateFailsToConnect() throws Exception {
        TestWebSocketServer server = ContractServers.tls();
        RecordingListener listener = RecordingListener.recording();
        TransportException failure = connectFailure(provider().connect(TransportOptions.newBuilder(server.uri("/echo"))
                .connectTimeout(Duration.ofSeconds(5)).build(), listener));
        assertThat(failure.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECT_FAILED);
        assertThat(listener.closed()).isNotDone();
    }

    /** 500 connect/send/close cycles leave the thread count and the open sockets where they started. */
    @Test
    default void fiveHundredCyclesLeaveNoThreadsOrSockets() throws Exception {
        TestWebSocketServer server = ContractServers.plain();
        URI uri = server.uri("/echo");
        for (int i = 0; i < 5; i++) {
            cycle(uri);
        }
        Thread.sleep(1_500); // let the shared transport timer's idle thread expire
        ResourceCounts baseline = ResourceCounts.now();
        List<String> before = ResourceCounts.threadNames();
        for (int i = 0; i < 500; i++) {
            cycle(uri);
        }
        ResourceCounts after = ResourceCounts.awaitAtMost(baseline, 2, 4, 20_000);
        assertThat(after.threads()).as("threads before: %s, after: %s", before, ResourceCounts.threadNames())
                .isLessThanOrEqualTo(baseline.threads() + 2);
        assertThat(after.fds()).as("open file descriptors: %s", ResourceCounts.fdTargets())
                .isLessThanOrEqualTo(baseline.fds() + 4);
        server.forgetPeers();
    }

    private void cycle(URI uri) throws Exception {
        RecordingListener listener = RecordingListener.recording();
        TransportSession session = connect(uri, listener);
        session.sendText("ping");
        assertThat(listener.nextText()).isEqualTo("ping");
        await(session.close(1000, ""));
        await(listener.closed());
    }

    /**
     * The same tiny client module, which knows only the SPI, runs on the module path and on the class path
     * with this provider, with nothing on stderr, neither for its work nor for failed connects (a refused
     * port, a refused upgrade): the transport's libraries log nothing the caller is not told anyway. The client
     * has no SLF4J binding (a transport must not bring one), so SLF4J's notice about that is not counted.
     */
    @Test
    default void sameClientRunsOnTheModulePathAndTheClassPath() throws Exception {
        URI uri = ContractServers.plain().uri("/echo");
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        List<URI> failing = List.of(URI.create("ws://127.0.0.1:" + closedPort + "/echo"),
                ContractServers.plain().uri("/no-such-endpoint"));
        ModulePathClient client = ModulePathClient.compile();
        for (boolean modulePath : new boolean[] {true, false}) {
            ModulePathClient.Run run = client.run(provider().getClass(), uri, failing, modulePath);
            String where = modulePath ? "module path" : "class path";
            System.out.println("client on the " + where + ":\n" + run.stdout());
            assertThat(run.exitCode()).as("exit code on the %s; stdout:%n%s%nstderr:%n%s", where, run.stdout(),
                    run.stderr()).isZero();
            assertThat(run.stdout()).contains("provider " + provider().name())
                    .contains("failed: Could not open a WebSocket connection to " + failing.get(0))
                    .contains("failed: Could not open a WebSocket connection to " + failing.get(1))
                    .contains("echo: hello from the " + (modulePath ? "module" : "class") + " path")
                    .contains("closed 1000");
            assertThat(withoutSlf4jNotice(run.stderr())).as("stderr on the %s", where).isEmpty();
        }
    }

    /**
     * Standard error without SLF4J's notice that the application chose no SLF4J binding: that notice is about
     * the application's setup (a library must not ship a binding), not something the transport logs, and an
     * application with a binding of its own never sees it.
     *
     * @param stderr what the client printed
     * @return the rest
     */
    private static String withoutSlf4jNotice(String stderr) {
        return stderr.lines()
                .filter(line -> !line.equals("SLF4J(W): No SLF4J providers were found.")
                        && !line.equals("SLF4J(W): Defaulting to no-operation (NOP) logger implementation")
                        && !line.equals("SLF4J(W): See https://www.slf4j.org/codes.html#noProviders for further details."))
                .map(line -> line + "\n")
                .collect(java.util.stream.Collectors.joining());
    }
}
