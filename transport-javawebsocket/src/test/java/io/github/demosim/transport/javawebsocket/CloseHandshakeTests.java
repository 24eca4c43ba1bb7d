package io.github.demosim.transport.javawebsocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ErrorCode;
import io.github.demosim.spi.TransportOptions;
import io.github.demosim.spi.TransportSession;
import io.github.demosim.tck.transport.RecordingListener;
import io.github.demosim.tck.transport.TestWebSocketServer;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The closing handshake reaches the server whatever the client's threads are doing when it starts. Java-WebSocket's
 * reader stops reading as soon as a close starts, then interrupts its writer and closes the socket: the server
 * saw 1006 (no close frame) instead of the client's code when the writer had not taken the close frame yet (a close
 * right after opening) or when the server's frames kept arriving (the socket was reset). Found by
 * ClientHostileInputProperties in the reliability module (a binary frame that is not UTF-8 followed by a reply).
 * Reading on exposed a second race: Java-WebSocket calls the server's answer "remote" when it reads it while its
 * state changes from open to closing; a close this side started is reported as local all the same. Each test
 * repeats its race over many connections; each connection takes milliseconds on loopback.
 */
class CloseHandshakeTests {
    private static TestWebSocketServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestWebSocketServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBinaryFrameThatIsNotUtf8WithFramesBehindItClosesWith1007AtTheServer() throws Exception {
        for (int i = 0; i < 30; i++) {
            URI uri = server.uniqueUri("/sink");
            RecordingListener listener = RecordingListener.recording();
            connect(uri, listener);
            TestWebSocketServer.Peer peer = server.peer(uri);
            peer.sendBinary(new byte[] {(byte) 0xc3, (byte) 0x28});
            for (int n = 0; n < 50; n++) {
                peer.send("after " + n);
            }
            assertThat(await(listener.error()).code()).isEqualTo(ErrorCode.TRANSPORT_CONNECTION_LOST);
            assertThat(await(listener.closed()).code()).as("connection %d, client side", i).isEqualTo(1007);
            assertThat(await(peer.closeCode())).as("connection %d, server side", i).isEqualTo(1007);
            assertThat(listener.texts()).as("frames after the bad one are not delivered").isEmpty();
            assertThat(listener.violations()).isEmpty();
        }
    }

    @Test
    void aCloseRightAfterOpeningReachesTheServerWithItsCode() throws Exception {
        for (int i = 0; i < 50; i++) {
            URI uri = server.uniqueUri("/sink");
            RecordingListener listener = RecordingListener.recording();
            TransportSession session = connect(uri, listener);
            await(session.close(4000, "at once"));
            assertThat(await(listener.closed())).as("connection %d, client side", i)
                    .isEqualTo(new RecordingListener.Closing(4000, "at once", false));
            assertThat(await(server.peer(uri).closeCode())).as("connection %d, server side", i).isEqualTo(4000);
            assertThat(listener.error()).isNotDone();
        }
    }

    @Test
    void aCloseWhileTheServerIsSendingReachesTheServerWithItsCode() throws Exception {
        for (int i = 0; i < 30; i++) {
            URI uri = server.uniqueUri("/sink");
            RecordingListener listener = RecordingListener.recording();
            TransportSession session = connect(uri, listener);
            TestWebSocketServer.Peer peer = server.peer(uri);
            for (int n = 0; n < 200; n++) {
                peer.send("stream " + n);
            }
            listener.nextText();
            await(session.close(4000, "enough"));
            assertThat(await(listener.closed()).code()).as("connection %d, client side", i).isEqualTo(4000);
            assertThat(await(peer.closeCode())).as("connection %d, server side", i).isEqualTo(4000);
            assertThat(listener.error()).isNotDone();
            assertThat(listener.violations()).isEmpty();
        }
    }

    @Test
    void aCloseStartedByTheServerEndsWhenTheServerClosesTheConnection() throws Exception {
        for (int i = 0; i < 30; i++) {
            URI uri = server.uniqueUri("/sink");
            RecordingListener listener = RecordingListener.recording();
            TransportSession session = connect(uri, listener);
            server.peer(uri).close(4001, "server says bye");
            assertThat(await(listener.closed())).as("connection %d", i)
                    .isEqualTo(new RecordingListener.Closing(4001, "server says bye", true));
            assertThat(session.isOpen()).isFalse();
            assertThat(listener.error()).isNotDone();
        }
    }

    private static TransportSession connect(URI uri, RecordingListener listener) throws Exception {
        return new JavaWebSocketTransportProvider().connect(TransportOptions.of(uri), listener)
                .get(30, TimeUnit.SECONDS);
    }

    /** Hang guard only. */
    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }
}
