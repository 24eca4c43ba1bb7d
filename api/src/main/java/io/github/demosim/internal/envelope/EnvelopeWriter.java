package io.github.demosim.internal.envelope;

import io.github.demosim.Bytes;
import io.github.demosim.ErrorCode;
import io.github.demosim.ImException;
import io.github.demosim.KeyRole;
import io.github.demosim.OutgoingMessage;
import io.github.demosim.TrustStore;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.MessageEnvelope.Profile;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The sending half of envelopes, shared by both peers ({@code docs/envelopes.md} §6, §7): whether a recipient gets
 * an envelope (it advertised that it reads them, or its signing key is pinned, which proves it signs and so reads
 * them), drafting at call time so that a message too large for one frame fails at once, signing at send time.
 */
public final class EnvelopeWriter {
    /** L2PS: the largest plaintext whose ciphertext fits the server's 131,072-character limit (l2ps.md §4.4). */
    public static final int L2PS_MAX_PLAINTEXT_BYTES = 131_072 / 4 * 3 - 16;
    /** Legacy: a plaintext whose base64 ciphertext keeps the frame well inside the 16 MiB limit (§A.1). */
    public static final int LEGACY_MAX_PLAINTEXT_BYTES = 12_000_000;

    private final Profile profile;
    private final String self;
    private final TrustStore store;
    private final UnaryOperator<MessageEnvelope> signer;
    private final int maxPlaintextBytes;

    /**
     * @param profile the protocol's envelope rules
     * @param self this peer's name in envelopes (lowercase Ed25519 hex, or client id)
     * @param store where pinned keys are
     * @param signer signs a draft (and, on legacy, adds the signing key)
     */
    public EnvelopeWriter(Profile profile, String self, TrustStore store, UnaryOperator<MessageEnvelope> signer) {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.self = Objects.requireNonNull(self, "self");
        this.store = Objects.requireNonNull(store, "store");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.maxPlaintextBytes = profile == Profile.L2PS ? L2PS_MAX_PLAINTEXT_BYTES : LEGACY_MAX_PLAINTEXT_BYTES;
    }

    /**
     * Drafts the envelope a message would travel in, and checks that it fits in one frame: at the call, so that the
     * caller learns at once. A text that cannot be an envelope (an L2PS recipient that is not a key) has no draft.
     *
     * @param to the recipient as the caller named it
     * @param message the message
     * @return the draft, or empty when only plain text can reach {@code to}
     * @throws IllegalArgumentException if the message needs an envelope and cannot have one, or does not fit
     */
    public Optional<MessageEnvelope> draft(String to, OutgoingMessage message) {
        String recipient = name(to);
        MessageEnvelope draft;
        try {
            draft = new MessageEnvelope(profile, java.util.UUID.randomUUID().toString(), name(self), recipient,
                    message.type(), message.content(), System.currentTimeMillis(), message.replyTo(),
                    Optional.empty(), Optional.empty());
        } catch (IllegalArgumentException e) {
            if (message.needsEnvelope()) {
                throw new IllegalArgumentException("This message needs a signed envelope, which cannot be addressed to '"
                        + to + "': " + e.getMessage(), e);
            }
            requireFits(message.content().getBytes(StandardCharsets.UTF_8).length, "The text", "");
            return Optional.empty();
        }
        int size = signedSize(draft);
        String hint = "";
        if (message.type() == MessageEnvelope.Type.MEDIA) {
            int base64 = message.content().length() - message.content().indexOf(',') - 1;
            long room = (long) maxPlaintextBytes - (size - base64);
            hint = " With this MIME type, at most " + String.format("%,d", Math.max(0, room / 4 * 3))
                    + " bytes of media fit.";
        }
        requireFits(size, message.type() == MessageEnvelope.Type.MEDIA ? "The media message" : "The message", hint);
        return Optional.of(draft);
    }

    /**
     * Decides whether {@code to} gets an envelope.
     *
     * @param to the recipient
     * @param advertised whether it advertised that it reads envelopes (key directory, registration features)
     * @return whether to send it an envelope
     */
    public boolean envelopeFor(String to, boolean advertised) {
        return advertised || store.pinnedKey(name(to), KeyRole.SIGNING).isPresent();
    }

    /**
     * The plaintext to seal.
     *
     * @param to the recipient (for the error text)
     * @param message the message
     * @param draft its draft
     * @param envelope whether the recipient gets an envelope
     * @return the canonical JSON of the signed envelope, or the plain text
     * @throws ImException with {@link ErrorCode#FEATURE_UNAVAILABLE} if the message needs an envelope the recipient
     *     cannot read
     */
    public String plaintext(String to, OutgoingMessage message, Optional<MessageEnvelope> draft, boolean envelope) {
        if (envelope && draft.isPresent()) {
            return signer.apply(draft.get()).toJson();
        }
        if (message.needsEnvelope()) {
            throw new ImException(ErrorCode.FEATURE_UNAVAILABLE, "'" + to + "' has not said it reads signed envelopes"
                    + " (no 'envelope' in its key directory entry or registration, no signing key of it pinned), and "
                    + (message.replyTo().isPresent() && message.type() == MessageEnvelope.Type.TEXT ? "a reply"
                            : message.type().wireName() + " messages") + " travel only in envelopes. Send it plain "
                    + "text, or pin its key (TrustStore.pin) if you know it reads envelopes");
        }
        return message.content();
    }

    /** The size of the signed envelope's JSON: a placeholder signature (and key) of the real length. */
    private int signedSize(MessageEnvelope draft) {
        MessageEnvelope full = draft;
        if (profile == Profile.LEGACY) {
            full = full.withSigningKey(Bytes.of(new byte[EnvelopeFormat.ML_DSA_PUBLIC_KEY_BYTES]));
        }
        full = full.withSignature(Bytes.of(new byte[profile == Profile.L2PS ? EnvelopeFormat.ED25519_SIGNATURE_BYTES
                : EnvelopeFormat.ML_DSA_SIGNATURE_BYTES]));
        return full.toJson().getBytes(StandardCharsets.UTF_8).length;
    }

    private void requireFits(int bytes, String what, String hint) {
        if (bytes > maxPlaintextBytes) {
            throw new IllegalArgumentException(what + " is " + String.format("%,d", bytes) + " bytes of plaintext"
                    + " (signed envelope included); one " + profile.label() + " message carries at most "
                    + String.format("%,d", maxPlaintextBytes) + (profile == Profile.L2PS
                            ? " (the server's limit of 131,072 base64 characters of ciphertext, l2ps.md §4.4)"
                            : " (so that the frame stays inside the 16 MiB limit)")
                    + "." + hint + " Send less: shorter text, or smaller media");
        }
    }

    /** L2PS names are keys, written in lowercase in envelopes. */
    private String name(String peer) {
        return profile == Profile.L2PS ? peer.toLowerCase(java.util.Locale.ROOT) : peer;
    }
}
