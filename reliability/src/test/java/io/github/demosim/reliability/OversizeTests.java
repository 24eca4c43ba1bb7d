package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.RawClient;
import io.github.demosim.reliability.support.RawL2ps;
import io.github.demosim.reliability.support.RawSocket;
import io.github.demosim.reliability.support.ServerProcess;
import io.github.demosim.reliability.support.Wire;
import io.github.demosim.server.DemosImServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages too large for the server (docs/server.md "Connections"; l2ps.md §1, §4.2 step 1): beyond 16 MiB the
 * connection is closed with 1009 as soon as the limit is passed, without waiting for (or keeping) the rest; an
 * L2PS message beyond 262,144 characters is answered {@code Message too large} and the connection stays open;
 * text that is not UTF-8 is closed with 1007. None of it may cost the server more memory than the limits say.
 */
class OversizeTests {
    private static final long MIB = 1024 * 1024;

    @Test
    void aFrameAnnouncingAGibibyteIsRefusedOnceSixteenMebibytesHavePassed() throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            for (int port : new int[] {server.l2psPort(), server.legacyPort()}) {
                try (RawSocket ws = RawSocket.connect(port)) {
                    ws.sendHeader(RawSocket.TEXT, 1024 * MIB, true);
                    AtomicLong sent = new AtomicLong();
                    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                        byte[] chunk = "x".repeat((int) MIB).getBytes(StandardCharsets.US_ASCII);
                        try {
                            while (sent.get() < 1024 * MIB) {
                                ws.sendMaskedBody(chunk);
                                sent.addAndGet(chunk.length);
                            }
                        } catch (java.io.IOException closedByServer) {
                            // expected: the server closed the connection
                        }
                    });
                    assertThat(ws.awaitClose()).as("close code on port %d", port).isEqualTo(1009);
                    writer.get(30, TimeUnit.SECONDS);
                    // The server stopped reading at the limit: what was written beyond it sat in socket buffers.
                    assertThat(sent.get()).as("bytes written before the server closed").isLessThan(48 * MIB);
                    System.out.printf("FIGURE oversize/1GiB frame on port %d: closed 1009 after %d MiB written%n",
                            port, sent.get() / MIB);
                }
            }
            assertServes(server);
        }
    }

    @Test
    void textThatIsNotUtf8IsClosedWith1007() throws Exception {
        try (DemosImServer server = DemosImServer.newBuilder().l2psPort(0).legacyPort(0).inMemoryDatabase().start()) {
            byte[] invalid = {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
            for (int port : new int[] {server.l2psPort(), server.legacyPort()}) {
                try (RawSocket ws = RawSocket.connect(port)) {
                    ws.send(RawSocket.TEXT, invalid);
                    assertThat(ws.awaitClose()).as("port %d", port).isEqualTo(1007);
                }
                try (RawSocket ws = RawSocket.connect(port)) {
                    // The same bytes as a binary message are decoded with U+FFFD, as JavaScript does: a JSON error.
                    ws.send(RawSocket.BINARY, invalid);
                    RawSocket.ServerFrame answer = ws.read();
                    assertThat(answer.opcode()).isEqualTo(RawSocket.TEXT);
                    assertThat(Json.type(Json.parse(answer.text()))).isEqualTo("error");
                }
            }
            assertServes(server);
        }
    }

    @Test
    void manyLargeL2psMessagesAtOnceDoNotExhaustASmallHeap(@TempDir Path dir) throws Exception {
        // 24 connections each send a 12 MiB message at the same moment to a server with a 128 MiB heap. Each is
        // over the 262,144-character limit: the answer does not depend on the content, so the server must not
        // keep it. (Kept whole, they would need about 24 × 12 MiB × 3 of heap: bytes, chars and a copy.)
        int clients = 24;
        String big = "{\"type\":\"discover\",\"payload\":{},\"pad\":\"" + "x".repeat((int) (12 * MIB)) + "\"}";
        try (ServerProcess server = ServerProcess.on(dir.resolve("db")).maxHeap("128m").start()) {
            List<RawClient> conns = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                conns.add(RawClient.connect(server.l2psUri()));
            }
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<CompletableFuture<JsonValue>> answers = new ArrayList<>();
                for (RawClient c : conns) {
                    answers.add(CompletableFuture.supplyAsync(() -> c.send(big).next(), pool));
                }
                for (CompletableFuture<JsonValue> a : answers) {
                    JsonValue answer;
                    try {
                        answer = a.get(120, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new AssertionError("no answer; the server's log ends with:\n" + server.recentLog(), e);
                    }
                    assertThat(Json.error(answer)).isEqualTo("INVALID_MESSAGE / Message too large (max 262144 bytes)");
                }
            } finally {
                pool.shutdown();
                conns.forEach(RawClient::close);
            }
            assertThat(server.isAlive()).isTrue();
            System.out.printf("FIGURE oversize/24 x 12 MiB L2PS at a 128 MiB server: all answered, then %s%n",
                    server.stats().line());
            try (RawL2ps alice = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
                alice.register(List.of());
            }
        }
    }

    private static void assertServes(DemosImServer server) {
        try (RawL2ps alice = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
            alice.register(List.of());
        }
        try (RawClient carol = RawClient.connect(server.legacyUri())) {
            carol.send(Wire.legacyDiscover());
            assertThat(Json.type(carol.next())).isEqualTo("discover");
        }
    }
}
