package io.github.demosim.it;

import static io.github.demosim.it.Await.done;
import static io.github.demosim.it.Await.failure;
import static io.github.demosim.it.Await.next;
import static io.github.demosim.it.TestIdentities.ALICE;
import static io.github.demosim.it.TestIdentities.BOB;
import static io.github.demosim.it.TestIdentities.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.L2psStatus;
import io.github.demosim.ErrorCode;
import io.github.demosim.Identity;
import io.github.demosim.ImException;
import io.github.demosim.L2psMessagingPeer;
import io.github.demosim.L2psRegistration;
import io.github.demosim.MessageStatusUpdate;
import io.github.demosim.PublicKeyLookup;
import io.github.demosim.ReceivedMessage;
import io.github.demosim.SendOutcome;
import io.github.demosim.SendResult;
import io.github.demosim.ServerErrorException;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.server.DemosImServer;
import io.github.demosim.server.ServerMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The L2PS peer against this project's server over real sockets: every transport, both server modes
 * (l2ps.md §12 items 31–35, the done-when list).
 */
class L2psPeerIntegrationTests {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private DemosImServer server(ServerMode mode, UnaryOperator<DemosImServer.Builder> tweak) {
        DemosImServer s = tweak.apply(DemosImServer.newBuilder().mode(mode).l2psPort(0).disableLegacy()
                .inMemoryDatabase()).start();
        open.add(s);
        return s;
    }

    private DemosImServer server(ServerMode mode) {
        return server(mode, b -> b);
    }

    private L2psMessagingPeer peer(DemosImServer server, String transport, Identity identity) {
        return peer(server, transport, b -> b.identity(identity));
    }

    private L2psMessagingPeer peer(DemosImServer server, String transport,
            UnaryOperator<L2psMessagingPeer.Builder> tweak) {
        L2psMessagingPeer p = tweak.apply(L2psMessagingPeer.newBuilder().serverUri(server.l2psUri())
                .l2psUid(DemosImServer.DEFAULT_L2PS_UID).transport(transport).codec("jackson")).build();
        open.add(p);
        return p;
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void registersAndFollowsPresence(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        LinkedBlockingQueue<String> joined = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<String> left = new LinkedBlockingQueue<>();
        alice.onPeerJoined(joined::add);
        alice.onPeerLeft(left::add);
        L2psRegistration a = done(alice.connect());
        assertThat(a.publicKey()).isEqualTo(ALICE.ed25519PublicKeyHex());
        assertThat(a.onlinePeers()).isEmpty();
        assertThat(a.features()).isEqualTo(mode == ServerMode.HARDENED
                ? java.util.Set.of("ack", "message_status", "key_directory", "envelope", "server_challenge")
                : java.util.Set.of());

        L2psMessagingPeer bob = peer(server, transport, BOB);
        L2psRegistration b = done(bob.connect());
        assertThat(b.onlinePeers()).containsExactly(ALICE.ed25519PublicKeyHex()); // §8: excludes self
        assertThat(next(joined)).isEqualTo(BOB.ed25519PublicKeyHex());
        assertThat(alice.onlinePeers()).containsExactly(BOB.ed25519PublicKeyHex());

        // §8: discover includes the requester
        assertThat(done(alice.discover())).containsExactlyInAnyOrder(ALICE.ed25519PublicKeyHex(),
                BOB.ed25519PublicKeyHex());

        bob.close();
        assertThat(next(left)).isEqualTo(BOB.ed25519PublicKeyHex());
        assertThat(alice.onlinePeers()).isEmpty();
    }

    // §5.4 step 5, §12 item 16: the recipient gets the message, then the sender message_sent
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void deliversLiveAndAcknowledgesAsSent(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        L2psMessagingPeer bob = peer(server, transport, BOB);
        LinkedBlockingQueue<ReceivedMessage> toBob = new LinkedBlockingQueue<>();
        bob.onMessage(toBob::add);
        done(alice.connect());
        done(bob.connect());

        SendResult sent = done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "hello bob ✓"));
        assertThat(sent.outcome()).isEqualTo(SendOutcome.DELIVERED);
        assertThat(sent.l2psStatus()).isEqualTo(L2psStatus.SUBMITTED);
        assertThat(sent.messageHash()).matches("[0-9a-f]{64}");
        ReceivedMessage m = next(toBob);
        assertThat(m.from()).isEqualTo(ALICE.ed25519PublicKeyHex());
        assertThat(m.text()).contains("hello bob ✓");
        assertThat(m.offline()).isFalse();
        assertThat(m.messageHash()).isEqualTo(sent.messageHash());

        // and back
        LinkedBlockingQueue<ReceivedMessage> toAlice = new LinkedBlockingQueue<>();
        alice.onMessage(toAlice::add);
        done(bob.sendText(ALICE.ed25519PublicKeyHex(), ALICE.mlKemPublicKey(), "hi alice"));
        assertThat(next(toAlice).text()).contains("hi alice");
    }

    // §6.1, §12 items 17 and 21: queued for an offline recipient, delivered after its registered with offline:true
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void queuesForOfflineRecipientsAndDeliversOnConnect(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        done(alice.connect());
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SendResult r = done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "while you were out " + i));
            assertThat(r.outcome()).isEqualTo(SendOutcome.QUEUED);
            assertThat(r.l2psStatus()).isEqualTo(L2psStatus.QUEUED);
            hashes.add(r.messageHash());
        }

        L2psMessagingPeer bob = peer(server, transport, BOB);
        LinkedBlockingQueue<ReceivedMessage> toBob = new LinkedBlockingQueue<>();
        bob.onMessage(toBob::add); // registered before connect: sees the offline deliveries
        done(bob.connect());
        for (int i = 0; i < 3; i++) {
            ReceivedMessage m = next(toBob);
            assertThat(m.offline()).isTrue();
            assertThat(m.text()).contains("while you were out " + i);
            assertThat(m.messageHash()).isEqualTo(hashes.get(i));
            assertThat(m.sentAt().isPresent()).isEqualTo(mode == ServerMode.HARDENED); // B13 fixed when hardened
        }
    }

    // §7.1, B12: 1,000 messages paged back with no gap and no repeat, even where milliseconds are shared
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void pagesThroughAThousandMessagesWithoutGapOrRepeat(String transport, ServerMode mode) {
        DemosImServer server = server(mode); // the default flood control: the client's pace stays within it
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        L2psMessagingPeer bob = peer(server, transport, BOB);
        done(alice.connect());
        done(bob.connect());
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            L2psMessagingPeer from = i % 3 == 0 ? bob : alice;
            Identity to = from == bob ? ALICE : BOB;
            sends.add(from.send(to.ed25519PublicKeyHex(), Encrypted.of("Y2lwaGVy" + i, "bm9uY2U=", null), "h-" + i));
        }
        sends.forEach(f -> assertThat(done(f).outcome()).isEqualTo(SendOutcome.DELIVERED));

        List<StoredMessage> walked = alice.historyStream(BOB.ed25519PublicKeyHex(), 37).collect(Collectors.toList());
        assertThat(walked).hasSize(1000);
        assertThat(walked.stream().map(StoredMessage::id).distinct().count()).isEqualTo(1000);
        assertThat(walked.stream().map(StoredMessage::messageHash).collect(Collectors.toSet()))
                .isEqualTo(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "h-" + i).collect(Collectors.toSet()));
        assertThat(walked).extracting(StoredMessage::timestamp).isSortedAccordingTo(Comparator.reverseOrder());

        assertThat(done(alice.history(BOB.ed25519PublicKeyHex(), 10)).hasMore()).isTrue();
        long oldest = walked.get(walked.size() - 1).timestamp();
        assertThat(done(alice.history(BOB.ed25519PublicKeyHex(), oldest, 10)).hasMore()).isFalse();
    }

    // §8, §12 item 27; key directory extension (ARCHITECTURE.md §5)
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void looksUpKeysAndUsesTheKeyDirectoryWhenOffered(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        L2psMessagingPeer bob = peer(server, transport, BOB);
        LinkedBlockingQueue<ReceivedMessage> toBob = new LinkedBlockingQueue<>();
        bob.onMessage(toBob::add);
        done(alice.connect());
        done(bob.connect());

        PublicKeyLookup online = done(alice.requestPublicKey(BOB.ed25519PublicKeyHex()));
        assertThat(online.online()).isTrue();
        assertThat(online.publicKey()).contains(BOB.ed25519PublicKeyHex());
        PublicKeyLookup unknown = done(alice.requestPublicKey(CAROL.ed25519PublicKeyHex()));
        assertThat(unknown.online()).isFalse();
        assertThat(unknown.kemPublicKey()).isEmpty();

        if (mode == ServerMode.HARDENED) {
            assertThat(online.kemPublicKey()).contains(BOB.mlKemPublicKey());
            assertThat(done(alice.sendText(BOB.ed25519PublicKeyHex(), "found your key")).outcome())
                    .isEqualTo(SendOutcome.DELIVERED);
            assertThat(next(toBob).text()).contains("found your key");
        } else {
            assertThat(online.kemPublicKey()).isEmpty();
            Throwable e = failure(alice.sendText(BOB.ed25519PublicKeyHex(), "no directory"));
            assertThat(e).isInstanceOfSatisfying(ImException.class,
                    x -> assertThat(x.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND));
        }
    }

    // §4.3/§4.4: every server error code this client's API can provoke. Not provokable: REGISTRATION_REQUIRED (the
    // peer sends nothing before `registered`, §12 item 33), INTERNAL_ERROR (server faults only; the typed API cannot
    // send a non-numeric `before`), PEER_NOT_FOUND (never emitted), RATE_LIMITED (floods are paced, not refused:
    // aFloodIsPacedNotRefused).
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#all")
    void reportsEveryServerErrorTheClientCanProvoke(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b.submissionPolicy(new io.github.demosim.server.SubmissionPolicy() {
            @Override
            public java.util.Optional<String> admitTransaction(Transaction t) {
                return t.messageHash().startsWith("refuse-") ? java.util.Optional.of("Transaction already processed")
                        : java.util.Optional.empty();
            }
        }));
        // L2PS_NOT_FOUND (§5.1 step 3)
        L2psMessagingPeer lost = peer(server, transport, b -> b.identity(CAROL).l2psUid("no_such_network"));
        assertServerError(failure(lost.connect()), "L2PS_NOT_FOUND", "L2PS network no_such_network not found");

        // INVALID_PROOF (§5.2): a signer that signs the wrong text
        L2psMessagingPeer forger = peer(server, transport, b -> b.signer(CAROL.ed25519PublicKeyHex(),
                proof -> io.github.demosim.Bytes.of(CAROL.signEd25519("not the proof".getBytes())).toHex()));
        assertServerError(failure(forger.connect()), "INVALID_PROOF", "Signature verification failed");

        L2psMessagingPeer alice = peer(server, transport, ALICE);
        done(alice.connect());
        Encrypted e = Encrypted.of("Y2lwaGVy", "bm9uY2U=", null);
        // INVALID_MESSAGE (§5.4 step 1)
        assertServerError(failure(alice.send(ALICE.ed25519PublicKeyHex(), e, "self")), "INVALID_MESSAGE",
                "Cannot send message to yourself");
        assertServerError(failure(alice.send(BOB.ed25519PublicKeyHex(), Encrypted.of("A".repeat(131_073), "bm9uY2U=",
                null), "big")), "INVALID_MESSAGE", "Ciphertext too large (max 131072 bytes)");
        // L2PS_SUBMIT_FAILED: a hash used before by someone else (§5.4 a), an L2PS refusal (§5.4 d)
        done(alice.send(BOB.ed25519PublicKeyHex(), e, "taken"));
        L2psMessagingPeer carol = peer(server, transport, CAROL);
        done(carol.connect());
        assertServerError(failure(carol.send(BOB.ed25519PublicKeyHex(), e, "taken")), "L2PS_SUBMIT_FAILED",
                "Duplicate message");
        assertServerError(failure(alice.send(BOB.ed25519PublicKeyHex(), e, "refuse-1")), "L2PS_SUBMIT_FAILED",
                "Transaction already processed");
        // the quota of 200 queued messages per sender (§6.2)
        List<CompletableFuture<SendResult>> queued = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            queued.add(carol.send(BOB.ed25519PublicKeyHex(), e, "q-" + i));
        }
        queued.forEach(f -> assertThat(done(f).outcome()).isEqualTo(SendOutcome.QUEUED));
        assertServerError(failure(carol.send(BOB.ed25519PublicKeyHex(), e, "q-over")), "L2PS_SUBMIT_FAILED",
                "Offline message limit reached");
        // a message that failed keeps its hash reserved (§5.5): retrying it is refused as a duplicate
        assertServerError(failure(alice.send(BOB.ed25519PublicKeyHex(), e, "refuse-1")), "L2PS_SUBMIT_FAILED",
                mode == ServerMode.HARDENED ? "Transaction already processed" : "Duplicate message");
    }

    // hardened flood control paces a flood instead of refusing it (issue 14 item 5): every request is answered
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void aFloodIsPacedNotRefused(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b.rateLimit(10, 2));
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        LinkedBlockingQueue<io.github.demosim.ErrorEvent> errors = new LinkedBlockingQueue<>();
        alice.onError(errors::add);
        done(alice.connect());
        List<CompletableFuture<List<String>>> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flood.add(alice.discover());
        }
        flood.forEach(f -> assertThat(done(f)).containsExactly(ALICE.ed25519PublicKeyHex()));
        assertThat(errors).isEmpty();
    }

    // issue 14 item 5: `listen` on a 1,200-message queue got them all, then 670 again, then 140: acknowledgements
    // beyond the flood-control burst were refused, so the messages stayed pending. Now none is refused.
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void acknowledgesABacklogLargerThanTheFloodControlBurst(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b.batchInterval(java.time.Duration.ofHours(1))); // default budget
        List<L2psMessagingPeer> senders = List.of(peer(server, transport, BOB), peer(server, transport, CAROL),
                peer(server, transport, Identity.generate()));
        List<CompletableFuture<SendResult>> queued = new ArrayList<>();
        for (L2psMessagingPeer sender : senders) {
            done(sender.connect());
            for (int i = 0; i < 200; i++) { // l2ps.md §6.2: 200 queued messages per sender
                queued.add(sender.send(ALICE.ed25519PublicKeyHex(), Encrypted.of("Y2lwaGVy", "bm9uY2U=", null),
                        sender.publicKey().substring(0, 8) + "-" + i));
            }
        }
        queued.forEach(f -> assertThat(done(f).outcome()).isEqualTo(SendOutcome.QUEUED));
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        java.util.concurrent.CountDownLatch received = new java.util.concurrent.CountDownLatch(queued.size());
        alice.onMessage(m -> received.countDown());
        done(alice.connect());
        try {
            assertThat(received.await(Await.SECONDS, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        alice.close(); // after the listener calls, whose acknowledgements are written first
        // every message leaves "queued" (pending acknowledgement) once the server took its acknowledgement
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(Await.SECONDS);
        for (L2psMessagingPeer sender : senders) {
            while (true) {
                List<StoredMessage> page = done(sender.history(ALICE.ed25519PublicKeyHex(), 200)).messages();
                long pending = page.stream().filter(m -> m.status().equals("queued")).count();
                if (pending == 0) {
                    assertThat(page).hasSize(200);
                    break;
                }
                assertThat(System.nanoTime()).as("%d messages of %s still unacknowledged", pending,
                        sender.publicKey()).isLessThan(deadline);
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    // extension message_status: the sender follows its message through the simulated pipeline
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void tracksDeliveryThroughThePipeline(String transport, ServerMode mode) {
        DemosImServer server = server(mode, b -> b.batchInterval(java.time.Duration.ofHours(1))
                .finalityDelay(java.time.Duration.ZERO));
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        LinkedBlockingQueue<MessageStatusUpdate> updates = new LinkedBlockingQueue<>();
        alice.onMessageStatus(updates::add);
        done(alice.connect());
        SendResult sent = done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "track me"));
        CompletableFuture<MessageStatusUpdate> confirmed = alice.awaitStatus(sent.messageHash(), L2psStatus.L2PS_CONFIRMED);
        server.runPipelineOnce();
        server.runPipelineOnce();
        MessageStatusUpdate last = done(confirmed);
        assertThat(last.status()).isEqualTo(L2psStatus.L2PS_CONFIRMED);
        assertThat(last.l2psTxHash()).isPresent();
        assertThat(next(updates).messageHash()).isEqualTo(sent.messageHash());
    }

    // extensions are used only when both sides want them: a peer that asks for none behaves as a reference client
    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("io.github.demosim.it.Matrix#hardened")
    void usesOnlyTheExtensionsItAskedFor(String transport, ServerMode mode) {
        DemosImServer server = server(mode);
        L2psMessagingPeer alice = peer(server, transport, ALICE);
        L2psMessagingPeer plain = peer(server, transport, b -> b.identity(BOB).features(java.util.Set.of()));
        LinkedBlockingQueue<ReceivedMessage> toBob = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<io.github.demosim.ErrorEvent> errors = new LinkedBlockingQueue<>();
        plain.onMessage(toBob::add);
        plain.onError(errors::add);
        done(alice.connect());
        L2psRegistration reg = done(plain.connect());
        assertThat(reg.features()).contains("ack"); // offered ...
        done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "one"));
        done(alice.sendText(BOB.ed25519PublicKeyHex(), BOB.mlKemPublicKey(), "two"));
        assertThat(next(toBob).text()).contains("one");
        assertThat(next(toBob).text()).contains("two");
        // ... but not used: no ack was sent (the server would refuse it), and no key directory lookups
        assertThat(failure(plain.sendText(ALICE.ed25519PublicKeyHex(), "no directory"))).isInstanceOfSatisfying(
                ImException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.KEY_NOT_FOUND));
        done(plain.discover());
        assertThat(errors).isEmpty();
    }

    static void assertServerError(Throwable failure, String code, String message) {
        assertThat(failure).isInstanceOfSatisfying(ServerErrorException.class, e -> {
            assertThat(e.serverCode()).isEqualTo(code);
            if (message != null) {
                assertThat(e.serverMessage()).contains(message);
            }
        });
    }
}
