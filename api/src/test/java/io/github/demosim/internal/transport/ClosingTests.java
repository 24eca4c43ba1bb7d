package io.github.demosim.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.spi.InboundDispatcher;
import io.github.demosim.spi.TransportListener;
import io.github.demosim.spi.TransportOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ClosingTests {

    @Test
    void closeArgumentsAreChecked() {
        Closing.checkClose(1000, "");
        Closing.checkClose(4999, "x".repeat(123));
        for (int code : new int[] {999, 1004, 1005, 1006, 1015, 2999, 5000}) {
            assertThatThrownBy(() -> Closing.checkClose(code, ""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(code));
        }
        assertThatThrownBy(() -> Closing.checkClose(1000, "é".repeat(62)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("124");
    }

    @Test
    void closeStartsTheHandshakeOnceWhileTheSessionIsOpenAndAbortReports1006First() {
        List<String> calls = new ArrayList<>();
        InboundDispatcher dispatcher = new InboundDispatcher(TransportOptions.of(URI.create("ws://127.0.0.1:1/")),
                (TransportListener) (session, text) -> { }, "test");
        CompletableFuture<Void> closed = new CompletableFuture<>();

        Closing.close(dispatcher, closed, 1000, "bye", (code, reason) -> calls.add("handshake " + code + " " + reason));
        closed.complete(null);
        Closing.close(dispatcher, closed, 1000, "again", (code, reason) -> calls.add("handshake again"));
        assertThatThrownBy(() -> Closing.close(dispatcher, closed, 1006, "", (code, reason) -> { }))
                .isInstanceOf(IllegalArgumentException.class);

        Closing.abort(dispatcher, () -> calls.add("dropped, terminated: " + dispatcher.isTerminated()));
        assertThat(calls).containsExactly("handshake 1000 bye", "dropped, terminated: true");
    }
}
