package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.failure;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.CAROL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import io.github.demosim.Identity;
import io.github.demosim.ImException;
import io.github.demosim.KeyRole;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.MessagingPeer;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.SenderVerification.Status;
import io.github.demosim.TextMessage;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Signed envelopes between this SDK's peers, through this project's server over real sockets (docs/envelopes.md):
 * negotiated through the key directory and registration features, authenticated on receipt, replies, reactions and
 * media, plain text for peers that do not read envelopes, trust on first use. The attacks are in the reliability
 * module's EnvelopeAttackTests.
 */
class EnvelopeIntegrationTests {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private DemosImServer server(ServerMode mode) {
        DemosImServer s = DemosImServer.newBuilder().mode(mode).l2psPort(0).legacyPort(0).inMemoryDatabase().start();
        open.add(s);
        return s;
    }

    private L2psMessagingPeer l2ps(DemosImServer server, String transport,
            UnaryOperator<L2psMessagingPeer.Builder> tweak) {
        L2psMessagingPeer p = tweak.apply(L2psMessagingPeer.newBuilder().serverUri(server.l2psUri())
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID).transport(transport).codec("jackson")).build();
        open.add(p);
        return p;
    }

    private MessagingPeer legacy(DemosImServer server, String transport, String id, Identity identity,
            UnaryOperator<MessagingPeer.Builder> tweak) {
        MessagingPeer p = tweak.apply(MessagingPeer.newBuilder().serverUri(server.legacyUri()).clientId(id)
                .identity(identity).transport(transport).codec("jackson")).build();
        open.add(p);
        return p;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void l2psPeersAuthenticateEachOtherWithRepliesReactionsAndMedia(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = l2ps(server, transport, b -> b.identity(ALICE));
        L2psMessagingPeer bob = l2ps(server, transport, b -> b.identity(BOB));
        LinkedBlockingQueue<ReceivedMessage> atAlice = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ReceivedMessage> atBob = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ErrorEvent> errors = new LinkedBlockingQueue<>();
        alice.onMessage(atAlice::add);
        bob.onMessage(atBob::add);
        alice.onError(errors::add);
        bob.onError(errors::add);
        done(alice.connect());
        done(bob.connect());
        String a = ALICE.ed25519PublicKeyHex();
        String b = BOB.ed25519PublicKeyHex();

        SendResult question = done(alice.sendText(b, "Dinner at 8?"));   // Bob's key and features from the directory
        assertThat(question.signed()).isTrue();
        ReceivedMessage q = next(atBob);
        assertThat(q.authenticated()).as(q.verification().detail()).isTrue();
        assertThat(q.messageId()).isEqualTo(question.messageId());
        assertThat(q.text()).contains("Dinner at 8?");
        assertThat(q.envelope().orElseThrow().from()).isEqualTo(a);

        SendResult reply = done(bob.send(a, OutgoingMessage.text("Yes!").inReplyTo(q.messageId().orElseThrow())));
        ReceivedMessage r = next(atAlice);
        assertThat(r.authenticated()).isTrue();
        assertThat(r.envelope().orElseThrow().replyTo()).isEqualTo(question.messageId());
        assertThat(r.messageId()).isEqualTo(reply.messageId());

        done(alice.send(b, OutgoingMessage.reaction(r.messageId().orElseThrow(), "👍")));
        ReceivedMessage reaction = next(atBob);
        assertThat(reaction.authenticated()).isTrue();
        assertThat(reaction.envelope().orElseThrow().type()).isEqualTo(MessageEnvelope.Type.REACTION);
        assertThat(reaction.envelope().orElseThrow().replyTo()).isEqualTo(reply.messageId());

        byte[] photo = new byte[60_000];
        new java.util.Random(1).nextBytes(photo);
        done(alice.send(b, OutgoingMessage.media("image/jpeg", Bytes.of(photo))));
        ReceivedMessage media = next(atBob);
        assertThat(media.authenticated()).isTrue();
        assertThat(media.text()).isEmpty();
        assertThat(media.envelope().flatMap(MessageEnvelope::media)).hasValueSatisfying(m -> {
            assertThat(m.mimeType()).isEqualTo("image/jpeg");
            assertThat(m.data()).isEqualTo(Bytes.of(photo));
        });
        assertThatThrownBy(() -> alice.send(b, OutgoingMessage.media("image/jpeg", Bytes.of(new byte[100_000]))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes of media fit");

        // offline: Bob's directory entry (key and "envelope") outlives his connection. Wait until the server has
        // let his key go (it tells Alice, l2ps.md §8): close() returns before the server has handled the close, and
        // a send before that would still go to Bob's connection (DELIVERED, not QUEUED).
        LinkedBlockingQueue<String> left = new LinkedBlockingQueue<>();
        alice.onPeerLeft(left::add);
        bob.close();
        assertThat(next(left)).isEqualTo(b);
        SendResult queued = done(alice.sendText(b, "See you"));
        assertThat(queued.outcome()).isEqualTo(SendOutcome.QUEUED);
        assertThat(queued.signed()).isTrue();
        L2psMessagingPeer bobAgain = l2ps(server, transport, x -> x.identity(BOB));
        LinkedBlockingQueue<ReceivedMessage> again = new LinkedBlockingQueue<>();
        bobAgain.onMessage(again::add);
        done(bobAgain.connect());
        ReceivedMessage offline = next(again);
        assertThat(offline.offline()).isTrue();
        assertThat(offline.authenticated()).isTrue();
        assertThat(errors).as("no verification failures between honest peers").isEmpty();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void aPeerThatDoesNotReadEnvelopesGetsPlainTextAndOnlyPlainText(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = l2ps(server, transport, b -> b.identity(ALICE));
        // registers as a client without the extension does (the TypeScript SDK's, or one that opted out)
        L2psMessagingPeer carol = l2ps(server, transport, b -> b.identity(CAROL)
                .features(Set.of(L2psMessagingPeer.FEATURE_KEY_DIRECTORY)));
        LinkedBlockingQueue<ReceivedMessage> atCarol = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<ReceivedMessage> atAlice = new LinkedBlockingQueue<>();
        carol.onMessage(atCarol::add);
        alice.onMessage(atAlice::add);
        done(alice.connect());
        done(carol.connect());
        SendResult sent = done(alice.sendText(CAROL.ed25519PublicKeyHex(), "plain for you"));
        assertThat(sent.signed()).isFalse();
        ReceivedMessage m = next(atCarol);
        assertThat(m.text()).contains("plain for you");
        assertThat(m.verification().status()).isEqualTo(Status.UNSIGNED);
        assertThat(m.envelope()).isEmpty();
        assertThat(failure(alice.send(CAROL.ed25519PublicKeyHex(), OutgoingMessage.reaction(
                java.util.UUID.randomUUID().toString(), "👍"))))
                .isInstanceOfSatisfying(ImException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.FEATURE_UNAVAILABLE));
        // Carol does not read envelopes, but she can write them for a peer that does
        done(carol.sendText(ALICE.ed25519PublicKeyHex(), "hi back"));
        assertThat(next(atAlice).authenticated()).isTrue();
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#reference")
    void withoutADirectoryAPinnedKeyStillGetsEnvelopes(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = l2ps(server, transport, b -> b.identity(ALICE));
        L2psMessagingPeer bob = l2ps(server, transport, b -> b.identity(BOB));
        LinkedBlockingQueue<ReceivedMessage> atBob = new LinkedBlockingQueue<>();
        bob.onMessage(atBob::add);
        done(alice.connect());
        done(bob.connect());
        String b = BOB.ed25519PublicKeyHex();
        // the reference server has no key directory: nothing says Bob reads envelopes
        assertThat(done(alice.sendText(b, BOB.mlKemPublicKey(), "plain")).signed()).isFalse();
        assertThat(next(atBob).verification().status()).isEqualTo(Status.UNSIGNED);
        // Alice learned Bob's key out of band and pins it: from now on she signs for him
        alice.trustStore().pin(b, KeyRole.SIGNING, Bytes.fromHex(b));
        assertThat(done(alice.sendText(b, BOB.mlKemPublicKey(), "signed")).signed()).isTrue();
        ReceivedMessage m = next(atBob);
        assertThat(m.authenticated()).as(m.verification().detail()).isTrue();
        assertThat(m.text()).contains("signed");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void anExternalSignerSignsEnvelopes(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        List<String> signed = new java.util.concurrent.CopyOnWriteArrayList<>();
        L2psMessagingPeer wallet = l2ps(server, transport, b -> b.signer(ALICE.ed25519PublicKeyHex(), text -> {
            signed.add(text);
            return Bytes.of(ALICE.signEd25519(text.getBytes(StandardCharsets.UTF_8))).toHex();
        }));
        L2psMessagingPeer bob = l2ps(server, transport, b -> b.identity(BOB));
        LinkedBlockingQueue<ReceivedMessage> atBob = new LinkedBlockingQueue<>();
        bob.onMessage(atBob::add);
        done(bob.connect());
        done(wallet.connect());
        assertThat(done(wallet.sendText(BOB.ed25519PublicKeyHex(), "from a wallet")).signed()).isTrue();
        ReceivedMessage m = next(atBob);
        assertThat(m.authenticated()).as(m.verification().detail()).isTrue();
        assertThat(signed).anyMatch(s -> s.startsWith("demos-im/envelope/v1/l2ps\n{\"content\":\"from a wallet\""));
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void legacyPeersAuthenticateEachOtherAndPinTheirKeys(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        MessagingPeer alice = legacy(server, transport, "alice", ALICE, b -> b);
        MessagingPeer bob = legacy(server, transport, "bob", BOB, b -> b);
        LinkedBlockingQueue<TextMessage> atAlice = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<TextMessage> atBob = new LinkedBlockingQueue<>();
        alice.onMessage(atAlice::add);
        bob.onMessage(atBob::add);
        done(alice.connect());
        done(bob.connect());
        Optional<String> id = done(alice.send("bob", OutgoingMessage.text("Hello Bob")));
        assertThat(id).isPresent();
        TextMessage m = next(atBob);
        assertThat(m.authenticated()).as(m.verification().detail()).isTrue();
        assertThat(m.verification().detail()).contains("pinned now on first use");
        assertThat(m.messageId()).isEqualTo(id);
        assertThat(m.envelope().orElseThrow().signingKey()).contains(ALICE.mlDsaPublicKey());
        assertThat(bob.trustStore().pinnedKey("alice", KeyRole.SIGNING)).contains(ALICE.mlDsaPublicKey());

        done(bob.send("alice", OutgoingMessage.reaction(id.orElseThrow(), "❤")));
        TextMessage reaction = next(atAlice);
        assertThat(reaction.authenticated()).isTrue();
        assertThat(reaction.text()).isEqualTo("❤");
        assertThat(reaction.envelope().orElseThrow().replyTo()).isEqualTo(id);

        // Bob goes offline; Alice pinned his key when his reaction arrived, so even with the key given by hand (no
        // lookup, no features) her message to him is signed, and stored signed. Wait until the server has let
        // Bob's id go (it tells Alice): before that the message could go to his closing connection, and his
        // new registration would be refused CLIENT_ID_TAKEN.
        LinkedBlockingQueue<String> left = new LinkedBlockingQueue<>();
        alice.onPeerLeft(left::add);
        bob.close();
        assertThat(next(left)).isEqualTo("bob");
        assertThat(done(alice.send("bob", BOB.mlKemPublicKey(), OutgoingMessage.text("while you were away"))))
                .isPresent();
        MessagingPeer bobAgain = legacy(server, transport, "bob", BOB, b -> b);
        LinkedBlockingQueue<TextMessage> again = new LinkedBlockingQueue<>();
        bobAgain.onMessage(again::add);
        done(bobAgain.connect());
        TextMessage stored = next(again);
        assertThat(stored.offline()).as("replayed as stored: %s", stored).isTrue();
        assertThat(stored.authenticated()).as(stored.verification().detail()).isTrue();
        assertThat(stored.text()).isEqualTo("while you were away");
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void legacyClientsWithoutEnvelopesStillTalkPlainText(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        MessagingPeer alice = legacy(server, transport, "alice", ALICE, b -> b);
        MessagingPeer sdk = legacy(server, transport, "sdk", BOB, b -> b.features(Set.of())); // as the TS SDK
        LinkedBlockingQueue<TextMessage> atSdk = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<TextMessage> atAlice = new LinkedBlockingQueue<>();
        sdk.onMessage(atSdk::add);
        alice.onMessage(atAlice::add);
        done(alice.connect());
        done(sdk.connect());
        assertThat(done(alice.send("sdk", OutgoingMessage.text("plain")))).isEmpty();
        TextMessage m = next(atSdk);
        assertThat(m.text()).isEqualTo("plain");
        assertThat(m.verification().status()).isEqualTo(Status.UNSIGNED);
        // and from the client without envelopes, also plain
        done(sdk.sendText("alice", "plain back"));
        assertThat(next(atAlice).verification().status()).isEqualTo(Status.UNSIGNED);
        if (mode == ServerMode.REFERENCE) {
            // the reference relays no features: even two envelope clients talk plain text there
            MessagingPeer bob = legacy(server, transport, "bob", CAROL, b -> b);
            LinkedBlockingQueue<TextMessage> atBob = new LinkedBlockingQueue<>();
            bob.onMessage(atBob::add);
            done(bob.connect());
            assertThat(done(alice.send("bob", OutgoingMessage.text("hi")))).isEmpty();
            assertThat(next(atBob).verification().status()).isEqualTo(Status.UNSIGNED);
        }
    }
}
