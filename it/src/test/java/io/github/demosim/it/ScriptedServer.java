package io.github.demosim.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.Frame;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.tck.transport.TestWebSocketServer;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket server whose every reply the test writes by hand: to drive a peer's state machine through
 * situations the reference server produces only by chance (replies out of order, unrelated frames in between,
 * a drop while a request waits). Real sockets, a real transport, the real codec.
 *
 * @param <C> the client frame family the connections decode
 */
final class ScriptedServer<C extends Frame> implements AutoCloseable {
    static final FrameCodec CODEC = CodecProvider.find("jackson").create();

    private final TestWebSocketServer server;
    private final Class<C> clientFamily;

    ScriptedServer(Class<C> clientFamily) throws Exception {
        this.server = TestWebSocketServer.start();
        this.clientFamily = clientFamily;
    }

    URI uri() {
        return server.uri("/sink");
    }

    /** The server side of the next connection a peer opens. */
    Conn next() throws InterruptedException {
        return new Conn(server.nextPeer());
    }

    @Override
    public void close() {
        server.close();
    }

    /** One connection. */
    final class Conn {
        final TestWebSocketServer.Peer peer;

        Conn(TestWebSocketServer.Peer peer) {
            this.peer = peer;
        }

        /** The next frame the client sent, which must be a {@code type}. */
        <T extends C> T expect(Class<T> type) throws InterruptedException {
            String text = peer.received().poll(10, TimeUnit.SECONDS);
            assertThat(text).as("a %s from the client within 10 s", type.getSimpleName()).isNotNull();
            C frame = CODEC.decode(text, clientFamily);
            assertThat(frame).as(text).isInstanceOf(type);
            return type.cast(frame);
        }

        /** Asserts that the client sends nothing for a while (an observation window, not a timing assertion). */
        void expectSilence(long millis) throws InterruptedException {
            String text = peer.received().poll(millis, TimeUnit.MILLISECONDS);
            assertThat(text).as("the client must not have sent anything").isNull();
        }

        void send(Frame frame) {
            peer.send(CODEC.encode(frame));
        }

        void sendRaw(String text) {
            peer.send(text);
        }

        void drop() {
            peer.disconnect();
        }
    }
}
