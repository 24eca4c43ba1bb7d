package io.github.demosim.internal.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.KeyRole;
import io.github.demosim.SenderVerification;
import io.github.demosim.SenderVerification.Status;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.MessageEnvelope.Profile;
import io.github.demosim.crypto.MessageEnvelope.Type;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The checks of a received message, in their order (docs/envelopes.md §5), with stand-in signatures: each forgery,
 * re-routing, replay and downgrade gets its status and a reason, and only a message that passes everything is
 * authenticated. (Real Ed25519 and ML-DSA-65 signatures: module it, EnvelopeVectorsTests and the peers' tests.)
 */
class EnvelopeVerifierTests {
    private static final Instant NOW = Instant.parse("2026-07-10T09:15:41Z");
    private static final String ALICE = "d686d4f6c1f4c7af89c4516f79e821f2e49b9af088808cff6b2d9d6e7df279c7";
    private static final String BOB = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private static final String CAROL = "5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c5e0c";
    private static final Bytes ALICE_DSA = Bytes.of(filled(1952, 1));
    private static final Bytes MALLORY_DSA = Bytes.of(filled(1952, 2));

    private final TrustStore store = TrustStore.inMemory();
    private final EnvelopeVerifier bob = new EnvelopeVerifier(Profile.L2PS, BOB, new FakeSignatures(), store,
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final EnvelopeVerifier legacyBob = new EnvelopeVerifier(Profile.LEGACY, "bob", new FakeSignatures(), store,
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aValidEnvelopeIsAuthenticatedOnceAndItsReplayIsRefused() {
        String json = l2ps(ALICE, BOB, NOW, "hello").toJson();
        EnvelopeVerifier.Verdict first = bob.verify(ALICE, json);
        assertThat(first.verification().status()).isEqualTo(Status.AUTHENTICATED);
        assertThat(first.text()).contains("hello");
        assertThat(first.envelope()).isPresent();
        assertThat(store.pinnedKey(ALICE, KeyRole.SIGNING)).contains(Bytes.fromHex(ALICE));
        // the server delivers the same envelope again, e.g. under a fresh messageHash
        assertFails(bob.verify(ALICE, json), Status.REPLAYED, "accepted before: a replay");
    }

    @Test
    void plainTextIsUnsignedUntilTheSenderIsKnownToSignThenItIsADowngrade() {
        assertThat(bob.verify(ALICE, "hi").verification().status()).isEqualTo(Status.UNSIGNED);
        assertThat(bob.verify(ALICE, "hi").verification().failed()).isFalse();
        bob.verify(ALICE, l2ps(ALICE, BOB, NOW, "signed").toJson());
        EnvelopeVerifier.Verdict stripped = bob.verify(ALICE.toUpperCase(), "hi");
        assertFails(stripped, Status.DOWNGRADED, "the envelope was stripped");
        assertThat(stripped.text()).contains("hi");
        assertThat(bob.verify(CAROL, "hi").verification().status()).as("another sender").isEqualTo(Status.UNSIGNED);
    }

    @Test
    void aRewrittenSenderIsDetected() {
        assertFails(bob.verify(CAROL, l2ps(ALICE, BOB, NOW, "hi").toJson()), Status.SENDER_MISMATCH,
                "The server says " + CAROL.substring(0, 12));
    }

    @Test
    void anEnvelopeSignedByAnotherKeyIsABadSignature() {
        MessageEnvelope draft = draft(Profile.L2PS, ALICE, BOB, NOW, "pay Mallory");
        MessageEnvelope forged = FakeSignatures.sign(draft, Bytes.fromHex(CAROL));
        assertFails(bob.verify(ALICE, forged.toJson()), Status.BAD_SIGNATURE, "does not verify");
        MessageEnvelope genuine = FakeSignatures.sign(draft, Bytes.fromHex(ALICE));
        String altered = genuine.toJson().replace("pay Mallory", "pay Mallory 100");
        assertFails(bob.verify(ALICE, altered), Status.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void anEnvelopeForSomeoneElseIsARerouting() {
        assertFails(bob.verify(ALICE, l2ps(ALICE, CAROL, NOW, "for carol").toJson()), Status.WRONG_RECIPIENT,
                "not for this peer");
    }

    @Test
    void timestampsOutsideTheWindowAreImplausible() {
        Instant old = NOW.minus(SenderVerification.REPLAY_WINDOW).minusSeconds(1);
        assertFails(bob.verify(ALICE, l2ps(ALICE, BOB, old, "old").toJson()), Status.IMPLAUSIBLE_TIMESTAMP, "too old");
        Instant ahead = NOW.plus(SenderVerification.CLOCK_SKEW).plusSeconds(1);
        assertFails(bob.verify(ALICE, l2ps(ALICE, BOB, ahead, "future").toJson()), Status.IMPLAUSIBLE_TIMESTAMP,
                "ahead of this peer's clock");
        assertThat(bob.verify(ALICE, l2ps(ALICE, BOB, NOW.minus(Duration.ofDays(29)), "ok").toJson()).verification()
                .authenticated()).isTrue();
    }

    @Test
    void malformedEnvelopesAndTheWrongProfileAreReported() {
        assertFails(bob.verify(ALICE, "{\"signature\":\"00\",\"version\":1}"), Status.MALFORMED,
                "claims to be a signed envelope but member 'type' is missing");
        String legacy = legacy("alice", "bob", NOW, "hi", ALICE_DSA).toJson();
        assertFails(bob.verify(ALICE, legacy), Status.MALFORMED, "legacy envelope arrived on the l2ps protocol");
    }

    @Test
    void legacyKeysAreTrustedOnFirstUseAndAChangeIsReportedNotAccepted() {
        EnvelopeVerifier.Verdict first = legacyBob.verify("alice", legacy("alice", "bob", NOW, "hi", ALICE_DSA).toJson());
        assertThat(first.verification().status()).isEqualTo(Status.AUTHENTICATED);
        assertThat(first.verification().detail()).contains("pinned now on first use");
        assertThat(legacyBob.verify("alice", legacy("alice", "bob", NOW, "again", ALICE_DSA).toJson()).verification()
                .detail()).contains("its pinned ML-DSA-65 key");
        // Mallory signs as alice with his own key: the signature is valid, the key is not alice's
        EnvelopeVerifier.Verdict forged = legacyBob.verify("alice", legacy("alice", "bob", NOW, "x", MALLORY_DSA).toJson());
        assertFails(forged, Status.KEY_CHANGED, "not the one pinned for alice");
        assertThat(forged.keyChange()).hasValueSatisfying(k -> {
            assertThat(k.peer()).isEqualTo("alice");
            assertThat(k.role()).isEqualTo(KeyRole.SIGNING);
            assertThat(k.pinnedKey()).isEqualTo(ALICE_DSA);
            assertThat(k.presentedKey()).isEqualTo(MALLORY_DSA);
        });
        assertThat(store.pinnedKey("alice", KeyRole.SIGNING)).as("the pin stays").contains(ALICE_DSA);
        // the application checked the new key out of band and trusts it
        store.pin("alice", KeyRole.SIGNING, MALLORY_DSA);
        assertThat(legacyBob.verify("alice", legacy("alice", "bob", NOW, "y", MALLORY_DSA).toJson()).verification()
                .authenticated()).isTrue();
    }

    @Test
    void legacyChecksCompareClientIdsExactly() {
        assertFails(legacyBob.verify("Alice", legacy("alice", "bob", NOW, "hi", ALICE_DSA).toJson()),
                Status.SENDER_MISMATCH, "The server says Alice");
        assertFails(legacyBob.verify("alice", legacy("alice", "Bob", NOW, "hi", ALICE_DSA).toJson()),
                Status.WRONG_RECIPIENT, "for Bob");
    }

    @Test
    void mediaHasNoTextButItsEnvelope() {
        MessageEnvelope media = FakeSignatures.sign(new MessageEnvelope(Profile.L2PS, UUID.randomUUID().toString(),
                ALICE, BOB, Type.MEDIA, new MessageEnvelope.Media("image/png", Bytes.of(new byte[] {9})).toContent(),
                NOW.toEpochMilli(), Optional.empty(), Optional.empty(), Optional.empty()), Bytes.fromHex(ALICE));
        EnvelopeVerifier.Verdict v = bob.verify(ALICE, media.toJson());
        assertThat(v.verification().authenticated()).isTrue();
        assertThat(v.text()).isEmpty();
        assertThat(v.envelope().flatMap(MessageEnvelope::media).map(m -> m.data().length())).contains(1);
    }

    private static void assertFails(EnvelopeVerifier.Verdict v, Status status, String reason) {
        assertThat(v.verification().status()).isEqualTo(status);
        assertThat(v.verification().authenticated()).isFalse();
        assertThat(v.verification().failed()).isTrue();
        assertThat(v.verification().detail()).contains(reason);
    }

    private static MessageEnvelope draft(Profile profile, String from, String to, Instant at, String text) {
        return new MessageEnvelope(profile, UUID.randomUUID().toString(), from, to, Type.TEXT, text, at.toEpochMilli(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static MessageEnvelope l2ps(String from, String to, Instant at, String text) {
        return FakeSignatures.sign(draft(Profile.L2PS, from, to, at, text), Bytes.fromHex(from));
    }

    private static MessageEnvelope legacy(String from, String to, Instant at, String text, Bytes key) {
        return FakeSignatures.sign(draft(Profile.LEGACY, from, to, at, text), key);
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }
}
