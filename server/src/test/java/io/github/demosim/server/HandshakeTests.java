package io.github.demosim.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.server.support.WsClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandshakeTests {
    @Test
    void declinesPerMessageDeflateOnBothPorts() throws Exception {
        // legacy-and-crypto.md §A.1: the reference runs Bun with perMessageDeflate off. Node.js's WebSocket (the
        // TypeScript SDK's) offers it in every handshake; accepting it would compress every frame.
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            for (int port : new int[] {server.l2psPort(), server.legacyPort()}) {
                String head = upgradeOfferingDeflate(port);
                assertThat(head).startsWith("HTTP/1.1 101");
                assertThat(head.toLowerCase(java.util.Locale.ROOT)).doesNotContain("sec-websocket-extensions");
            }
        }
    }

    /** The handshake Node.js 20's WebSocket sends, by hand; returns the response head. */
    private static String upgradeOfferingDeflate(int port) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout((int) WsClient.HANG_GUARD.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
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
            return head.toString();
        }
    }
}
