package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.Opened;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hardened flood control (issue 14 item 5): the per-connection budget paces a client, through TCP back-pressure,
 * instead of refusing its frames, so nothing a client sends is lost; acknowledgements of messages the client was
 * handed never use the budget, and acknowledgements beyond them are paced like any frame. Timings here are lower
 * bounds the pace guarantees (noise only makes them longer) and hang guards, never speed assertions.
 */
class FloodControlTests {
    private final Opened open = new Opened();

    @AfterEach
    void closeAll() {
        open.close();
    }

    private DemosImServer server(UnaryOperator<DemosImServer.Builder> settings) {
        return open.add(settings.apply(DemosImServer.newBuilder().mode(ServerMode.HARDENED).l2psPort(0)
                .legacyPort(0).inMemoryDatabase().batchInterval(java.time.Duration.ofHours(1))).start());
    }

    private L2psPeer peer(DemosImServer s, Ed25519Key key) {
        return open.add(L2psPeer.connect(s.l2psUri(), key));
    }

    /** Queues {@code perSender} messages from each of {@code senders} fresh keys for {@code to}; returns the hashes. */
    private List<String> queue(DemosImServer s, String to, int senders, int perSender) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < senders; i++) {
            try (L2psPeer sender = L2psPeer.connect(s.l2psUri())) {
                sender.register();
                for (int n = 0; n < perSender; n++) {
                    String hash = L2psPeer.newHash();
                    hashes.add(hash);
                    sender.ws.send(L2psPeer.sendFrame(to, "Y3Q=", hash));
                }
                for (int n = 0; n < perSender; n++) {
                    assertThat(Wire.type(sender.ws.next())).isEqualTo("message_queued");
                }
            }
        }
        return hashes;
    }

    /** Reads {@code count} message frames, acknowledging each at once; returns the other frames seen. */
    private static List<JsonValue> receiveAndAcknowledge(L2psPeer r, int count) {
        List<JsonValue> others = new ArrayList<>();
        int received = 0;
        while (received < count) {
            JsonValue f = r.ws.next();
            if ("message".equals(Wire.type(f))) {
                received++;
                r.ws.send(Wire.frame("ack", obj("messageHash", Wire.str(f, "payload.messageHash")),
                        System.currentTimeMillis()));
            } else {
                others.add(f);
            }
        }
        return others;
    }

    // issue 14 item 5: `listen` on a 1,200-message queue got 1,200, then 670 again, then 140: acknowledgements
    // beyond the default budget (burst 500) were refused, so the messages stayed pending and came back
    @Test
    void acknowledgementsOfABacklogLargerThanTheBudgetAreAllTaken() {
        DemosImServer s = server(b -> b); // the default budget: 100 frames/s, bursts of 500
        Ed25519Key recipient = Ed25519Key.random();
        List<String> hashes = queue(s, recipient.publicKeyHex(), 6, 200); // 200 per sender: l2ps.md §6.2
        L2psPeer r = peer(s, recipient);
        r.register(L2psPeer.UID, "features", Wire.json(List.of("ack")));
        List<JsonValue> others = receiveAndAcknowledge(r, hashes.size());
        others.addAll(r.sync()); // every acknowledgement handled
        assertThat(others).as("answers to acknowledgements").isEmpty();
        r.close();

        L2psPeer again = peer(s, recipient);
        again.register(L2psPeer.UID, "features", Wire.json(List.of("ack")));
        List<JsonValue> redelivered = again.sync().stream().filter(f -> "message".equals(Wire.type(f))).toList();
        assertThat(redelivered).as("messages delivered again after all were acknowledged").isEmpty();
    }

    @Test
    void acknowledgementsOfHandedMessagesDoNotUseTheBudget() {
        // A budget of 20 frames and then 1 a second: were the 50 acknowledgements paid for, the round trip after
        // them would take at least 31 s, past the hang guard (20 s).
        DemosImServer s = server(b -> b.rateLimit(1, 20));
        Ed25519Key recipient = Ed25519Key.random();
        List<String> hashes = queue(s, recipient.publicKeyHex(), 5, 10);
        L2psPeer r = peer(s, recipient);
        r.register(L2psPeer.UID, "features", Wire.json(List.of("ack")));
        assertThat(receiveAndAcknowledge(r, hashes.size())).isEmpty();
        assertThat(r.sync()).as("no frame refused or answered").isEmpty();
    }

    @Test
    void acknowledgementsBeyondWhatWasHandedArePacedLikeAnyFrame() {
        DemosImServer s = server(b -> b.rateLimit(50, 10));
        L2psPeer r = peer(s, Ed25519Key.random());
        r.register(L2psPeer.UID, "features", Wire.json(List.of("ack")));
        long start = System.nanoTime();
        int bogus = 60;
        for (int i = 0; i < bogus; i++) {
            r.ws.send(Wire.frame("ack", obj("messageHash", L2psPeer.newHash()), System.currentTimeMillis()));
        }
        assertThat(r.sync()).as("acknowledging unknown hashes is answered by nothing").isEmpty();
        double seconds = (System.nanoTime() - start) / 1e9;
        // register + 60 acknowledgements + the round trip's discover: 62 frames, 10 at once, then 50 a second
        assertThat(seconds).as("the pace holds an acknowledgement flood").isGreaterThanOrEqualTo((62 - 10) / 50.0 - 0.05);
    }

    @Test
    void aFloodOfL2psFramesIsPacedNotRefused() {
        DemosImServer s = server(b -> b.rateLimit(20, 5));
        L2psPeer p = peer(s, Ed25519Key.random());
        long start = System.nanoTime();
        int flood = 45;
        for (int i = 0; i < flood; i++) {
            p.ws.send(Wire.obj("type", "discover", "payload", obj(), "timestamp", 1, "requestId", "d" + i));
        }
        for (int i = 0; i < flood; i++) {
            JsonValue f = p.ws.next();
            assertThat(Wire.str(f, "payload.message")).as(Wire.text(f)).isEqualTo("Register before discovering peers");
            assertThat(Wire.str(f, "requestId")).as("answered in order").isEqualTo("d" + i);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).as("45 frames at 5 at once, then 20 a second").isGreaterThanOrEqualTo(40 / 20.0 - 0.05);
        assertThat(p.ws.isClosed()).isFalse();
    }

    @Test
    void aFloodOfLegacyFramesIsPacedNotRefused() {
        DemosImServer s = server(b -> b.rateLimit(20, 5));
        WsClient c = open.add(WsClient.connect(s.legacyUri()));
        long start = System.nanoTime();
        int flood = 45;
        for (int i = 0; i < flood; i++) {
            c.send(Wire.legacy("discover", obj()));
        }
        for (int i = 0; i < flood; i++) {
            assertThat(Wire.type(c.next())).isEqualTo("discover");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).as("45 frames at 5 at once, then 20 a second").isGreaterThanOrEqualTo(40 / 20.0 - 0.05);
        LegacyPeer peer = new LegacyPeer(c, LegacyPeer.newId());
        assertThat(Wire.payload(peer.register())).isEqualTo(obj("success", true, "clientId", peer.clientId));
    }
}
