package io.github.demosim.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.Identity;
import io.github.demosim.KeyChangeEvent;
import io.github.demosim.KeyRole;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendResult;
import io.github.demosim.SenderVerification;
import io.github.demosim.SenderVerification.Status;
import io.github.demosim.TextMessage;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.reliability.support.HostileServer;
import io.github.demosim.reliability.support.Json;
import io.github.demosim.reliability.support.Peers;
import io.github.demosim.reliability.support.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile server against signed envelopes (docs/envelopes.md §1, §5): the {@link HostileServer} plays the server
 * and key directory for real SDK peers, answers what they ask, and then forges the sender, re-routes a signed
 * message to a third peer (with the help of its recipient, the only one who can read it), replays an envelope, and
 * downgrades: strips the envelope for a peer that advertised it reads them, or writes plain text in a signer's name.
 * Each is detected: the message reaches the listener with its status and reason, never as authenticated, and the
 * same reason reaches the error listener ({@code IM-ENVELOPE-001}). Both protocols.
 */
class EnvelopeAttackTests {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final DemosCrypto CRYPTO = DemosCrypto.load();
    private static final String TRANSPORT = "java-websocket";

    private final Identity alice = Identity.generate();
    private final Identity bob = Identity.generate();
    private final Identity carol = Identity.generate();
    private final Identity mallory = Identity.generate();
    private final List<AutoCloseable> open = new ArrayList<>();
    /** Keys (L2PS) or client ids (legacy) whose directory answers the server strips of "envelope". */
    private final Set<String> stripped = ConcurrentHashMap.newKeySet();
    /** L2PS keys for which the directory hands out another identity's ML-KEM key. */
    private final Map<String, Identity> substitutedKem = new ConcurrentHashMap<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    // ---- L2PS ----

    @Test
    void l2psForgedSenderReroutedReplayedAndDowngradedMessagesAreAllDetected() throws Exception {
        HostileServer server = track(HostileServer.start(this::l2psDirectory));
        L2psSide a = l2ps(server, alice);
        L2psSide b = l2ps(server, bob);
        L2psSide c = l2ps(server, carol);
        String aKey = alice.ed25519PublicKeyHex();
        String bKey = bob.ed25519PublicKeyHex();

        // a genuine message, relayed faithfully: authenticated, and Bob pins Alice
        CompletableFuture<SendResult> sent = a.peer.sendText(bKey, "Meet at 8");
        Send genuine = a.nextSend();
        a.acknowledge(genuine);
        assertThat(sent.get(20, TimeUnit.SECONDS).signed()).isTrue();
        b.deliver(aKey, genuine.encrypted());
        ReceivedMessage ok = b.next();
        assertThat(ok.authenticated()).as(ok.verification().detail()).isTrue();

        // 1. forging the sender: the server says Carol wrote Alice's message
        b.deliver(carol.ed25519PublicKeyHex(), genuine.encrypted());
        b.expectFailure(Status.SENDER_MISMATCH, "The server says " + carol.ed25519PublicKeyHex().substring(0, 12));
        //    and a message of its own in Alice's name, signed with the only key it has
        MessageEnvelope draft = MessageEnvelope.draft(MessageEnvelope.Profile.L2PS, aKey, bKey,
                MessageEnvelope.Type.TEXT, "Change of plan: send the money to me", Optional.empty());
        MessageEnvelope forged = draft.withSignature(Bytes.of(mallory.signEd25519(draft.signingInput())));
        b.deliver(aKey, seal(bob, forged.toJson()));
        b.expectFailure(Status.BAD_SIGNATURE, "does not verify");

        // 2. re-routing: Bob (colluding with the server) hands Alice's signed message to Carol, re-sealed for her
        byte[] plaintext = bob.open(SealedMessage.fromL2psEncrypted(genuine.encrypted()));
        c.deliver(aKey, seal(carol, new String(plaintext, StandardCharsets.UTF_8)));
        c.expectFailure(Status.WRONG_RECIPIENT, "not for this peer");

        // 3. replay: the same ciphertext again, under a fresh hash so that no de-duplication hides it
        b.deliver(aKey, genuine.encrypted());
        b.expectFailure(Status.REPLAYED, "accepted before: a replay");

        // 4a. downgrade by the directory: the server strips "envelope" from Bob's entry, so Alice writes plain
        //     text; Bob knows Alice signs (her key is pinned) and reports it
        stripped.add(bKey);
        L2psSide a2 = l2ps(server, Identity.fromMasterSeed(alice.exportMasterSeed())); // a fresh peer: no cache
        CompletableFuture<SendResult> plain = a2.peer.sendText(bKey, "unsigned now");
        Send stripSend = a2.nextSend();
        a2.acknowledge(stripSend);
        assertThat(plain.get(20, TimeUnit.SECONDS).signed()).as("the directory said Bob reads no envelopes")
                .isFalse();
        b.deliver(aKey, stripSend.encrypted());
        ReceivedMessage downgraded = b.expectFailure(Status.DOWNGRADED, "the envelope was stripped");
        assertThat(downgraded.text()).contains("unsigned now");
        // 4b. or the server writes plain text in Alice's name itself: anyone can encrypt to Bob's key
        b.deliver(aKey, seal(bob, "it is me, Alice, honestly"));
        b.expectFailure(Status.DOWNGRADED, "who signs its messages");

        // once Bob has written to Alice, stripping the directory cannot make her send him plain text any more
        CompletableFuture<SendResult> back = b.peer.sendText(aKey, "got it");
        Send fromBob = b.nextSend();
        b.acknowledge(fromBob);
        back.get(20, TimeUnit.SECONDS);
        a2.deliver(bKey, fromBob.encrypted());
        assertThat(a2.next().authenticated()).isTrue();
        CompletableFuture<SendResult> sticky = a2.peer.sendText(bKey, "still signed");
        Send stickySend = a2.nextSend();
        a2.acknowledge(stickySend);
        assertThat(sticky.get(20, TimeUnit.SECONDS).signed()).as("Bob's key is pinned: he reads envelopes").isTrue();

        assertThat(b.authenticated).as("only the genuine message").hasSize(1);
        assertThat(c.authenticated).isEmpty();
    }

    @Test
    void l2psAnEnvelopeTooOldToTellFromAReplayIsNotAuthenticated() throws Exception {
        HostileServer server = track(HostileServer.start(this::l2psDirectory));
        L2psSide b = l2ps(server, bob);
        // Alice did write it, but 31 days ago: the server kept it back and delivers it now
        MessageEnvelope old = new MessageEnvelope(MessageEnvelope.Profile.L2PS, UUID.randomUUID().toString(),
                alice.ed25519PublicKeyHex(), bob.ed25519PublicKeyHex(), MessageEnvelope.Type.TEXT, "old news",
                System.currentTimeMillis() - SenderVerification.REPLAY_WINDOW.toMillis() - 86_400_000L,
                Optional.empty(), Optional.empty(), Optional.empty());
        b.deliver(alice.ed25519PublicKeyHex(), seal(bob, CRYPTO.signEnvelope(alice, old).toJson()));
        b.expectFailure(Status.IMPLAUSIBLE_TIMESTAMP, "too old to tell from a replay");
    }

    @Test
    void l2psAKeyDirectoryThatHandsOutAnotherKeyIsReported() throws Exception {
        // docs/envelopes.md §6: the recipient's ML-KEM key is pinned on first use, in the application's store
        HostileServer server = track(HostileServer.start(this::l2psDirectory));
        TrustStore store = TrustStore.inMemory(); // as an application's persistent store would, across two peers
        L2psMessagingPeer first = track(Peers.l2ps(server.uri(), alice, TRANSPORT).trustStore(store).build());
        first.connect().get(20, TimeUnit.SECONDS);
        HostileServer.Conn conn = server.nextConnection();
        CompletableFuture<SendResult> sent = first.sendText(bob.ed25519PublicKeyHex(), "hi");
        Send s = (Send) Json.CODEC.decode(conn.nextReceived(), L2psClientFrame.class); // lookups are answered above
        conn.sendText(Json.write(Json.obj("type", "message_sent", "payload", Json.obj("messageHash", s.messageHash(),
                "l2psStatus", "submitted"), "timestamp", System.currentTimeMillis(), "requestId", s.requestId())));
        sent.get(20, TimeUnit.SECONDS);
        assertThat(store.pinnedKey(bob.ed25519PublicKeyHex(), KeyRole.ENCRYPTION)).contains(bob.mlKemPublicKey());
        first.close();

        substitutedKem.put(bob.ed25519PublicKeyHex(), mallory); // the directory now answers with Mallory's key
        L2psMessagingPeer second = track(Peers.l2ps(server.uri(), alice, TRANSPORT).trustStore(store).build());
        BlockingQueue<KeyChangeEvent> changes = new LinkedBlockingQueue<>();
        second.onKeyChange(changes::add);
        second.connect().get(20, TimeUnit.SECONDS);
        second.sendText(bob.ed25519PublicKeyHex(), "hi again");
        KeyChangeEvent change = poll(changes);
        assertThat(change.role()).isEqualTo(KeyRole.ENCRYPTION);
        assertThat(change.peer()).isEqualTo(bob.ed25519PublicKeyHex());
        assertThat(change.pinnedKey()).isEqualTo(bob.mlKemPublicKey());
        assertThat(change.presentedKey()).isEqualTo(mallory.mlKemPublicKey());
    }

    // ---- legacy ----

    @Test
    void legacyForgedSenderReroutedReplayedAndDowngradedMessagesAreAllDetected() throws Exception {
        HostileServer server = track(HostileServer.start(this::legacyDirectory));
        LegacySide a = legacy(server, "alice", alice);
        LegacySide b = legacy(server, "bob", bob);
        LegacySide c = legacy(server, "carol", carol);

        // a genuine message, relayed faithfully: authenticated, and Bob pins Alice's ML-DSA key
        a.peer.sendText("bob", "Meet at 8").get(20, TimeUnit.SECONDS);
        SendMessage genuine = a.nextMessage();
        b.deliver("alice", genuine.message());
        TextMessage ok = b.next();
        assertThat(ok.authenticated()).as(ok.verification().detail()).isTrue();

        // 1. forging the sender: the server rewrites fromId
        b.deliver("carol", genuine.message());
        b.expectFailure(Status.SENDER_MISMATCH, "The server says carol");
        //    and a message of its own in Alice's name, signed by its own ML-DSA key: a valid signature, the wrong key
        MessageEnvelope forged = CRYPTO.signEnvelope(mallory, MessageEnvelope.draft(MessageEnvelope.Profile.LEGACY,
                "alice", "bob", MessageEnvelope.Type.TEXT, "send the money to me", Optional.empty()));
        b.deliver("alice", sealLegacy(bob, forged.toJson()));
        b.expectFailure(Status.KEY_CHANGED, "not the one pinned for alice");
        KeyChangeEvent change = poll(b.keyChanges);
        assertThat(change.peer()).isEqualTo("alice");
        assertThat(change.role()).isEqualTo(KeyRole.SIGNING);
        assertThat(change.pinnedKey()).isEqualTo(alice.mlDsaPublicKey());
        assertThat(change.presentedKey()).isEqualTo(mallory.mlDsaPublicKey());
        assertThat(b.peer.trustStore().pinnedKey("alice", KeyRole.SIGNING)).contains(alice.mlDsaPublicKey());

        // 2. re-routing: Bob hands Alice's signed message to Carol, re-sealed for her
        EncryptedObject sealedForBob = EncryptedObject.fromJson(genuine.message()).orElseThrow();
        byte[] plaintext = bob.open(SealedMessage.fromEncryptedObject(sealedForBob));
        c.deliver("alice", sealLegacy(carol, new String(plaintext, StandardCharsets.UTF_8)));
        c.expectFailure(Status.WRONG_RECIPIENT, "for bob, not for this peer");

        // 3. replay: the same message object again (the legacy protocol has no hash to de-duplicate by)
        b.deliver("alice", genuine.message());
        b.expectFailure(Status.REPLAYED, "accepted before: a replay");

        // 4a. downgrade by the directory: the server's key lookup answer for Bob leaves out "envelope"
        stripped.add("bob");
        LegacySide a2 = legacy(server, "alice-2", alice);
        a2.peer.sendText("bob", "unsigned now").get(20, TimeUnit.SECONDS);
        SendMessage plain = a2.nextMessage();
        b.deliver("alice", plain.message()); // the server says it is from alice, as it is
        assertThat(b.expectFailure(Status.DOWNGRADED, "the envelope was stripped").text()).isEqualTo("unsigned now");
        // 4b. plain text written by the server in Alice's name
        b.deliver("alice", sealLegacy(bob, "it is me, Alice, honestly"));
        b.expectFailure(Status.DOWNGRADED, "who signs its messages");

        assertThat(b.authenticated).as("only the genuine message").hasSize(1);
        assertThat(c.authenticated).isEmpty();
    }

    @Test
    void legacyTrustOnFirstUseBelievesAForgedFirstMessageAndCatchesTheRealSenderThen() throws Exception {
        // docs/envelopes.md §1: the limit of trust on first use, shown, so that nobody mistakes it for more
        HostileServer server = track(HostileServer.start(this::legacyDirectory));
        LegacySide a = legacy(server, "alice", alice);
        LegacySide b = legacy(server, "bob", bob);
        MessageEnvelope forged = CRYPTO.signEnvelope(mallory, MessageEnvelope.draft(MessageEnvelope.Profile.LEGACY,
                "alice", "bob", MessageEnvelope.Type.TEXT, "hi, it's Alice", Optional.empty()));
        b.deliver("alice", sealLegacy(bob, forged.toJson()));
        TextMessage first = b.next();
        assertThat(first.authenticated()).as("nothing to compare a first key with").isTrue();
        assertThat(first.verification().detail()).contains("pinned now on first use");
        a.peer.sendText("bob", "the real Alice").get(20, TimeUnit.SECONDS);
        b.deliver("alice", a.nextMessage().message());
        b.expectFailure(Status.KEY_CHANGED, "not the one pinned for alice");
        assertThat(poll(b.keyChanges).presentedKey()).isEqualTo(alice.mlDsaPublicKey());
    }

    // ---- the hostile server's directory ----

    /** Registers every L2PS peer and answers key lookups with the identities of this test (L2PS keys). */
    private String l2psDirectory(String text) {
        JsonValue f = Json.parse(text);
        String rid = Json.str(f, "requestId");
        switch (String.valueOf(Json.type(f))) {
            case "register":
                return Json.write(Json.obj("type", "registered", "payload", Json.obj("success", true,
                        "publicKey", Json.str(f, "payload.publicKey"), "l2psUid", Json.str(f, "payload.l2psUid"),
                        "onlinePeers", List.of(), "features", List.of("key_directory", "envelope")),
                        "timestamp", System.currentTimeMillis(), "requestId", rid));
            case "request_public_key":
                String target = Json.str(f, "payload.targetId");
                Identity who = substitutedKem.getOrDefault(target, byL2psKey(target));
                return Json.write(Json.obj("type", "public_key_response", "payload", Json.obj("targetId", target,
                        "publicKey", target, "kemPublicKey", who.mlKemPublicKey().toBase64(),
                        "features", stripped.contains(target) ? List.of() : List.of("envelope")),
                        "timestamp", System.currentTimeMillis(), "requestId", rid));
            default:
                return null; // sends and the rest go to the test
        }
    }

    private String legacyDirectory(String text) {
        JsonValue f = Json.parse(text);
        switch (String.valueOf(Json.type(f))) {
            case "register":
                return Json.write(Json.obj("type", "register", "payload", Json.obj("success", true,
                        "clientId", Json.str(f, "payload.clientId"))));
            case "request_public_key":
                String target = Json.str(f, "payload.targetId");
                List<Object> key = new ArrayList<>();
                byte[] kem = byClientId(target).mlKemPublicKey().toByteArray();
                IntStream.range(0, kem.length).forEach(i -> key.add(kem[i] & 0xff));
                return Json.write(Json.obj("type", "public_key_response", "payload", Json.obj("peerId", target,
                        "publicKey", key, "features", stripped.contains(target) ? List.of() : List.of("envelope"))));
            default:
                return null;
        }
    }

    private Identity byL2psKey(String key) {
        for (Identity id : List.of(alice, bob, carol, mallory)) {
            if (id.ed25519PublicKeyHex().equals(key)) {
                return id;
            }
        }
        throw new AssertionError("unknown key " + key);
    }

    private Identity byClientId(String id) {
        return Map.of("alice", alice, "bob", bob, "carol", carol).get(id);
    }

    // ---- helpers ----

    private static Encrypted seal(Identity to, String plaintext) {
        return CRYPTO.seal(to.mlKemPublicKey(), plaintext.getBytes(StandardCharsets.UTF_8)).toL2psEncrypted();
    }

    private static JsonValue sealLegacy(Identity to, String plaintext) {
        return CRYPTO.seal(to.mlKemPublicKey(), plaintext.getBytes(StandardCharsets.UTF_8)).toEncryptedObject().toJson();
    }

    private <T extends AutoCloseable> T track(T c) {
        open.add(c);
        return c;
    }

    private static <T> T poll(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(t).as("an event within %s", WAIT).isNotNull();
        return t;
    }

    /** An L2PS peer on the hostile server, with the server side of its connection. */
    private L2psSide l2ps(HostileServer server, Identity id) throws Exception {
        L2psMessagingPeer peer = track(Peers.l2ps(server.uri(), id, TRANSPORT).build());
        L2psSide side = new L2psSide(peer);
        peer.onMessage(side::received);
        peer.onError(side.errors::add);
        peer.connect().get(20, TimeUnit.SECONDS);
        side.conn = server.nextConnection();
        return side;
    }

    private LegacySide legacy(HostileServer server, String clientId, Identity id) throws Exception {
        MessagingPeer peer = track(Peers.legacy(server.uri(), clientId, id, TRANSPORT).build());
        LegacySide side = new LegacySide(peer);
        peer.onMessage(side::received);
        peer.onError(side.errors::add);
        peer.onKeyChange(side.keyChanges::add);
        peer.connect().get(20, TimeUnit.SECONDS);
        side.conn = server.nextConnection();
        return side;
    }

    /** What one side received, and its verdicts. */
    private abstract static class Side<M> {
        final BlockingQueue<M> inbox = new LinkedBlockingQueue<>();
        final BlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        final BlockingQueue<KeyChangeEvent> keyChanges = new LinkedBlockingQueue<>();
        final List<M> authenticated = new java.util.concurrent.CopyOnWriteArrayList<>();
        HostileServer.Conn conn;

        abstract SenderVerification verification(M m);

        void received(M m) {
            if (verification(m).authenticated()) {
                authenticated.add(m);
            }
            inbox.add(m);
        }

        M next() throws InterruptedException {
            return poll(inbox);
        }

        /** The next message failed verification with this status and reason, and the error listener heard it. */
        M expectFailure(Status status, String reason) throws InterruptedException {
            M m = next();
            SenderVerification v = verification(m);
            assertThat(v.status()).as(v.detail()).isEqualTo(status);
            assertThat(v.authenticated()).isFalse();
            assertThat(v.failed()).isTrue();
            assertThat(v.detail()).contains(reason);
            ErrorEvent e = poll(errors);
            assertThat(e.error().code()).isEqualTo(ErrorCode.SENDER_VERIFICATION_FAILED);
            assertThat(e.error().getMessage()).contains(status.name(), v.detail());
            return m;
        }
    }

    private static final class L2psSide extends Side<ReceivedMessage> {
        final L2psMessagingPeer peer;

        L2psSide(L2psMessagingPeer peer) {
            this.peer = peer;
        }

        @Override
        SenderVerification verification(ReceivedMessage m) {
            return m.verification();
        }

        /** The next send frame this peer wrote. */
        Send nextSend() {
            while (true) {
                L2psClientFrame f = Json.CODEC.decode(conn.nextReceived(), L2psClientFrame.class);
                if (f instanceof Send s) {
                    return s;
                }
            }
        }

        /** Answers a send as delivered. */
        void acknowledge(Send s) {
            conn.sendText(Json.write(Json.obj("type", "message_sent", "payload", Json.obj("messageHash",
                    s.messageHash(), "l2psStatus", "submitted"), "timestamp", System.currentTimeMillis(),
                    "requestId", s.requestId())));
        }

        /** Delivers a message in the name of {@code from}, with a fresh hash. */
        void deliver(String from, Encrypted encrypted) {
            conn.sendText(Json.CODEC.encode(new Message(from, encrypted, Wire.newHash(), false, null,
                    System.currentTimeMillis(), null)));
        }
    }

    private static final class LegacySide extends Side<TextMessage> {
        final MessagingPeer peer;

        LegacySide(MessagingPeer peer) {
            this.peer = peer;
        }

        @Override
        SenderVerification verification(TextMessage m) {
            return m.verification();
        }

        SendMessage nextMessage() {
            while (true) {
                LegacyClientFrame f = Json.CODEC.decode(conn.nextReceived(), LegacyClientFrame.class);
                if (f instanceof SendMessage s) {
                    return s;
                }
            }
        }

        void deliver(String fromId, JsonValue message) {
            conn.sendText(Json.CODEC.encode(new IncomingMessage(message, fromId, null)));
        }
    }
}
