package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.ProcessStats;
import io.github.demosim.reliability.support.RawL2ps;
import io.github.demosim.reliability.support.RawSocket;
import io.github.demosim.reliability.support.ServerProcess;
import io.github.demosim.reliability.support.Wire;
import io.github.demosim.server.ServerMode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 2: a client that stops reading must not make the server buffer without bound (docs/server.md,
 * "Connections"). The clients here are bare sockets with a small fixed receive buffer, so what they do not read
 * stays with the server, as with a slow or hostile client; the server runs in its own JVM with a 64 MiB heap.
 */
class SlowReaderTests {
    private static final int SMALL_RECEIVE_BUFFER = 16 * 1024;

    private static String ciphertext128KiB() {
        byte[] b = new byte[98_304];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    /** Registers on a raw socket and reads the {@code registered} frame (and whatever precedes it). */
    private static RawSocket registered(ServerProcess server, Identity id) throws Exception {
        RawSocket s = RawSocket.connect(server.l2psPort(), SMALL_RECEIVE_BUFFER);
        s.sendText(Wire.register(id, List.of()));
        while (!"registered".equals(Json.type(Json.parse(s.read().text())))) {
            // presence pushes
        }
        return s;
    }

    @Test
    void aClientThatStopsReadingItsHistoryIsNotReadEitherAndTheHeapStaysBounded(@TempDir Path dir) throws Exception {
        // 40 requests for a 60-message page of 128 KiB each (7.7 MiB): 300 MiB of answers for a client that reads
        // none of them.
        try (ServerProcess server = ServerProcess.on(dir.resolve("db")).maxHeap("64m").start()) {
            Identity alice = Identity.generate();
            Identity bob = Identity.generate();
            try (RawL2ps a = RawL2ps.connect(server.l2psUri(), alice)) {
                a.register(List.of());
                for (int i = 0; i < 60; i++) {
                    assertThat(Json.type(a.send(bob.ed25519PublicKeyHex(), ciphertext128KiB(), Wire.newHash())))
                            .isEqualTo("message_queued");
                }
            }
            int requests = 40;
            try (RawSocket slow = registered(server, alice)) {
                for (int i = 0; i < requests; i++) {
                    slow.sendText(Wire.history(alice, bob.ed25519PublicKeyHex(), System.currentTimeMillis(), 200));
                }
                Thread.sleep(8_000); // what the server would buffer, it has buffered by now
                ProcessStats during = server.stats();
                assertThat(during.heapMiB()).as("server heap after GC while the client does not read, MiB: %s",
                        during.line()).isLessThan(60); // of 64: the 16 MiB waiting for the client included
                try (RawL2ps bystander = RawL2ps.connect(server.l2psUri(), Identity.generate())) {
                    bystander.register(List.of());
                    bystander.ws.send(Wire.discover("d1"));
                    assertThat(Json.type(bystander.ws.next("discover_response"))).isEqualTo("discover_response");
                }
                // Nothing is lost: the client reads on and gets an answer to every request, each a bounded page.
                slow.readTimeout(60_000);
                int pages = 0;
                int messages = 0;
                while (pages < requests) {
                    RawSocket.ServerFrame frame = slow.read();
                    assertThat(frame).as("the connection ended after %d answers", pages).isNotNull();
                    if (frame.opcode() != RawSocket.TEXT) {
                        continue; // a ping
                    }
                    JsonValue f = Json.parse(frame.text());
                    if ("history_response".equals(Json.type(f))) {
                        pages++;
                        messages += Json.array(f, "payload.messages").size();
                        assertThat(Json.at(f, "payload.hasMore")).isEqualTo(JsonValue.of(true));
                    }
                }
                System.out.printf("FIGURE slow-reader/history: %d requests for 60 x 128 KiB pages, none read for 8 s, "
                        + "64 MiB server: %s meanwhile; then all %d answered (%d messages each: pages stop at 4 MiB)%n",
                        requests, during.line(), pages, messages / pages);
            }
        }
    }

    @Test
    void aRecipientThatStopsReadingIsClosedWith1008AndTheServerKeepsItsHeap(@TempDir Path dir) throws Exception {
        // Reference mode answers a live send without waiting for the recipient's socket, so one sender can push
        // 300 x 128 KiB (38 MiB) at a recipient that reads nothing; the bound (16 MiB per connection) applies in
        // both modes.
        try (ServerProcess server = ServerProcess.on(dir.resolve("db")).mode(ServerMode.REFERENCE).maxHeap("64m")
                .start()) {
            Identity bob = Identity.generate();
            try (RawSocket slow = registered(server, bob); RawL2ps alice = RawL2ps.connect(server.l2psUri(),
                    Identity.generate())) {
                alice.register(List.of());
                int sent = 0;
                int queued = 0;
                for (int i = 0; i < 300; i++) {
                    String answer = Json.type(alice.send(bob.ed25519PublicKeyHex(), ciphertext128KiB(),
                            Wire.newHash()));
                    if (answer.equals("message_queued")) {
                        queued++; // the recipient is gone: the rest waits in its offline queue
                    } else {
                        assertThat(answer).isEqualTo("message_sent");
                        sent++;
                    }
                }
                ProcessStats after = server.stats();
                assertThat(queued).as("messages queued once the slow reader was closed (%d sent); server log:%n%s", sent,
                        server.recentLog()).isPositive();
                assertThat(server.recentLog()).contains("the client does not read; closing with 1008");
                System.out.printf("FIGURE slow-reader/deliveries: 300 x 128 KiB live to a recipient that reads none, "
                        + "64 MiB reference-mode server: closed (1008) after %d sent, %d then queued; %s%n", sent,
                        queued, after.line());
                assertThat(after.heapMiB()).as("server heap after GC, MiB (of 64)").isLessThan(60);
                slow.readTimeout(30_000);
                assertThat(slow.awaitClose()).as("the recipient's connection ends").isIn(1008, 1006);
            }
        }
    }
}
