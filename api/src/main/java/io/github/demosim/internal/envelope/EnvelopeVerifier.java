package io.github.demosim.internal.envelope;

import io.github.demosim.Bytes;
import io.github.demosim.KeyChangeEvent;
import io.github.demosim.KeyRole;
import io.github.demosim.SenderVerification;
import io.github.demosim.SenderVerification.Status;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.MessageEnvelope.Profile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Judges what one peer receives ({@code docs/envelopes.md} §5): a plaintext and the sender the server names. Both
 * peers use it, each with its profile and own name. Called on the peer's serial event thread, so the checks of one
 * message and the memory they update (the {@link TrustStore}) never interleave with another message's.
 */
public final class EnvelopeVerifier {

    /**
     * The verdict on one message.
     *
     * @param verification the outcome and its reason
     * @param envelope the envelope, when the plaintext was one and could be read
     * @param text what to show as the message's text: the plaintext, or the content of a non-media envelope
     * @param keyChange a key change to report, with {@link Status#KEY_CHANGED}
     */
    public record Verdict(SenderVerification verification, Optional<MessageEnvelope> envelope, Optional<String> text,
            Optional<KeyChangeEvent> keyChange) {
    }

    private final Profile profile;
    private final String self;
    private final DemosCrypto crypto;
    private final TrustStore store;
    private final Clock clock;

    /**
     * @param profile the protocol's envelope rules
     * @param self this peer's name as envelopes write it: its lowercase Ed25519 hex key, or its client id
     * @param crypto verifies signatures
     * @param store the pinned keys and the replay memory
     * @param clock the time the timestamp check compares with
     */
    public EnvelopeVerifier(Profile profile, String self, DemosCrypto crypto, TrustStore store, Clock clock) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.self = Objects.requireNonNull(self, "self");
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A message this peer could not decrypt. */
    public static Verdict unreadable(String why) {
        return new Verdict(new SenderVerification(Status.UNREADABLE, why), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /**
     * Judges a decrypted message.
     *
     * @param sender who the server says sent it ({@code from} / {@code fromId})
     * @param plaintext the decrypted plaintext
     * @return the verdict
     */
    public Verdict verify(String sender, String plaintext) {
        return judge(sender, plaintext, true);
    }

    /**
     * Judges a stored message (from history): the checks of a live message up to the recipient (§5 items 1–5), but
     * neither the time window nor the replay memory, since history repeats messages by design; pins nothing, and
     * reads plain text as unsigned (it may be older than the sender's first envelope).
     *
     * @param sender who the server says sent it
     * @param plaintext the decrypted plaintext
     * @return the verdict
     */
    public Verdict verifyStored(String sender, String plaintext) {
        return judge(sender, plaintext, false);
    }

    private Verdict judge(String sender, String plaintext, boolean live) {
        if (!MessageEnvelope.isEnvelope(plaintext)) {
            return live ? plain(sender, plaintext) : new Verdict(new SenderVerification(Status.UNSIGNED,
                    "Plain text: the sender is the server's word only"), Optional.empty(), Optional.of(plaintext),
                    Optional.empty());
        }
        MessageEnvelope e;
        try {
            e = MessageEnvelope.parse(plaintext);
        } catch (IllegalArgumentException bad) {
            return failed(Status.MALFORMED, "The message claims to be a signed envelope but " + bad.getMessage(),
                    null, plaintext);
        }
        String text = e.type() == MessageEnvelope.Type.MEDIA ? null : e.content();
        if (e.profile() != profile) {
            return failed(Status.MALFORMED, "A " + e.profile().label() + " envelope arrived on the "
                    + profile.label() + " protocol", e, text);
        }
        if (!sameName(sender, e.from())) {
            return failed(Status.SENDER_MISMATCH, "The server says " + shorten(sender) + " sent it, but the envelope "
                    + "is written by " + shorten(e.from()) + ": a forged or rewritten sender", e, text);
        }
        if (!crypto.verifyEnvelopeSignature(e)) {
            return failed(Status.BAD_SIGNATURE, "The signature of " + shorten(e.from()) + " does not verify: the "
                    + "envelope was altered or written by someone else", e, text);
        }
        Bytes key = e.signerKey().orElseThrow();
        Optional<Bytes> pinned = store.pinnedKey(e.from(), KeyRole.SIGNING);
        if (pinned.isPresent() && !pinned.get().equals(key)) {
            return keyChanged(e, text, pinned.get(), key);
        }
        if (!sameName(self, e.to())) {
            return failed(Status.WRONG_RECIPIENT, "Signed by " + shorten(e.from()) + " for " + shorten(e.to())
                    + ", not for this peer: a forwarded or re-routed message", e, text);
        }
        if (!live) {
            return new Verdict(new SenderVerification(Status.AUTHENTICATED, "Signed by " + shorten(e.from())
                    + " for this peer (a stored message: its time and uniqueness are not checked)"), Optional.of(e),
                    Optional.ofNullable(text), Optional.empty());
        }
        Instant now = clock.instant();
        Instant written = Instant.ofEpochMilli(e.timestamp());
        Instant start = now.minus(SenderVerification.REPLAY_WINDOW);
        if (written.isBefore(start)) {
            return failed(Status.IMPLAUSIBLE_TIMESTAMP, "Written at " + written + ", more than "
                    + SenderVerification.REPLAY_WINDOW.toDays() + " days ago: too old to tell from a replay", e, text);
        }
        if (written.isAfter(now.plus(SenderVerification.CLOCK_SKEW))) {
            return failed(Status.IMPLAUSIBLE_TIMESTAMP, "Written at " + written + ", more than "
                    + SenderVerification.CLOCK_SKEW.toMinutes() + " minutes ahead of this peer's clock", e, text);
        }
        Bytes nowPinned = store.pinIfAbsent(e.from(), KeyRole.SIGNING, key);
        if (!nowPinned.equals(key)) {
            return keyChanged(e, text, nowPinned, key);
        }
        if (!store.recordEnvelope(e.from(), e.id(), written, start)) {
            return failed(Status.REPLAYED, "Envelope " + e.id() + " from " + shorten(e.from()) + " was accepted "
                    + "before: a replay", e, text);
        }
        String with = profile == Profile.L2PS ? "its Ed25519 key (its address)"
                : pinned.isPresent() ? "its pinned ML-DSA-65 key " + fingerprint(key)
                : "its ML-DSA-65 key " + fingerprint(key) + ", pinned now on first use";
        return new Verdict(new SenderVerification(Status.AUTHENTICATED, "Signed by " + shorten(e.from())
                + " for this peer with " + with), Optional.of(e), Optional.ofNullable(text), Optional.empty());
    }

    private Verdict plain(String sender, String plaintext) {
        String name = profile == Profile.L2PS ? sender.toLowerCase(Locale.ROOT) : sender;
        if (store.pinnedKey(name, KeyRole.SIGNING).isPresent()) {
            return failed(Status.DOWNGRADED, "Plain text in the name of " + shorten(sender) + ", who signs its "
                    + "messages (its key is pinned): the envelope was stripped, or someone else wrote it", null,
                    plaintext);
        }
        return new Verdict(new SenderVerification(Status.UNSIGNED, "Plain text: the sender is the server's word "
                + "only"), Optional.empty(), Optional.of(plaintext), Optional.empty());
    }

    private Verdict keyChanged(MessageEnvelope e, String text, Bytes pinned, Bytes presented) {
        return new Verdict(new SenderVerification(Status.KEY_CHANGED, "Signed by a key " + fingerprint(presented)
                + " that is not the one pinned for " + shorten(e.from()) + " " + fingerprint(pinned)
                + ": a new key of theirs, or someone else in their name"), Optional.of(e), Optional.ofNullable(text),
                Optional.of(new KeyChangeEvent(e.from(), KeyRole.SIGNING, pinned, presented)));
    }

    private static Verdict failed(Status status, String detail, MessageEnvelope e, String text) {
        return new Verdict(new SenderVerification(status, detail), Optional.ofNullable(e), Optional.ofNullable(text),
                Optional.empty());
    }

    /** L2PS names are keys: hex in any case names the same key (the server compares strings, l2ps.md B14). */
    private boolean sameName(String a, String b) {
        return profile == Profile.L2PS ? a.equalsIgnoreCase(b) : a.equals(b);
    }

    /** A short, stable way to show a key to people: the first 16 hex digits of its SHA-256, in brackets. */
    public static String fingerprint(Bytes key) {
        try {
            return "[" + Bytes.of(MessageDigest.getInstance("SHA-256").digest(key.toByteArray())).toHex()
                    .substring(0, 16) + "]";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String shorten(String name) {
        String safe = name.length() <= 24 ? name : name.substring(0, 12) + "…";
        return new String(safe.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }
}
