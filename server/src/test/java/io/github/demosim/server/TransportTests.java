package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket transport (l2ps.md §1, legacy-and-crypto.md §A.1 and §C.2 item 27): keep-alive pings, the idle
 * timeout (shortened to one second here; the default is Bun's 120 s), client pings, invalid UTF-8.
 */
class TransportTests {

    @Test
    void item27_clientsThatAnswerPingsStayAndSilentOnesAreClosed() throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase()
                .idleTimeout(Duration.ofSeconds(1)).start()) {
            for (int port : new int[] {server.legacyPort(), server.l2psPort()}) {
                try (WsClient answering = WsClient.connect(server.legacyUri().resolve("/").toString()
                        .replace(":" + server.legacyPort() + "/", ":" + port + "/").transform(java.net.URI::create));
                        Socket silent = rawUpgrade(port)) {
                    long start = System.nanoTime();
                    InputStream in = silent.getInputStream();
                    // Read (and so receive the pings) but never answer: the server gives up on this one.
                    while (in.read() >= 0) {
                        assertThat(System.nanoTime() - start).isLessThan(WsClient.HANG_GUARD.toNanos());
                    }
                    Thread.sleep(Math.max(0, 3_000 - (System.nanoTime() - start) / 1_000_000));
                    // Three idle timeouts later the ping-answering client is still connected and served.
                    assertThat(answering.isClosed()).isFalse();
                    answering.send("{\"type\":\"discover\",\"payload\":{}}");
                    String type = Wire.type(answering.next());
                    assertThat(type).isIn("discover", "error");
                }
            }
        }
    }

    @Test
    void clientPingsAreAnswered() throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            for (java.net.URI uri : new java.net.URI[] {server.l2psUri(), server.legacyUri()}) {
                java.util.concurrent.CompletableFuture<String> pong = new java.util.concurrent.CompletableFuture<>();
                java.net.http.WebSocket ws = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(uri, new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onPong(java.net.http.WebSocket w,
                                    java.nio.ByteBuffer message) {
                                pong.complete(StandardCharsets.UTF_8.decode(message).toString());
                                return null;
                            }
                        }).join();
                ws.sendPing(java.nio.ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))).join();
                assertThat(pong.get(WsClient.HANG_GUARD.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                        .isEqualTo("hello");
                ws.abort();
            }
        }
    }

    @Test
    void invalidUtf8InATextMessageCloses1007() throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start();
                Socket raw = rawUpgrade(server.l2psPort())) {
            // FIN + text, masked, 2 bytes: 0xC3 0x28 is not UTF-8. Mask 0 keeps the bytes as they are.
            raw.getOutputStream().write(new byte[] {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, (byte) 0xC3, 0x28});
            raw.getOutputStream().flush();
            InputStream in = raw.getInputStream();
            assertThat(in.read()).isEqualTo(0x88); // a close frame
            int length = in.read() & 0x7f;
            assertThat(length).isGreaterThanOrEqualTo(2);
            assertThat((in.read() << 8) | in.read()).isEqualTo(1007);
        }
    }

    /** A WebSocket handshake by hand, so nothing answers the server's pings. */
    static Socket rawUpgrade(int port) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout((int) WsClient.HANG_GUARD.toMillis());
        OutputStream out = s.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
        return s;
    }
}
