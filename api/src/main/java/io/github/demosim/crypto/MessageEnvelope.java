package io.github.demosim.crypto;

import io.github.demosim.Bytes;
import io.github.demosim.internal.envelope.EnvelopeFormat;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A signed message envelope, version {@value #VERSION} ({@code docs/envelopes.md}): the plaintext sealed inside
 * one message, with the member names of the TypeScript SDK's {@code MessageEnvelope} ({@code l2ps.md} B11), so that
 * the recipient knows who wrote it and for whom, and can tell a replay. On L2PS it is signed with Ed25519 by the key
 * in {@code from} ({@link Profile#L2PS}); on the legacy protocol, whose client ids are names and not keys, with the
 * sender's ML-DSA-65 key, carried in {@code signingKey} ({@link Profile#LEGACY}).
 *
 * <p>The sealed plaintext is {@link #toJson()}: the RFC 8785 (JCS) canonical JSON of every member. The signature
 * covers {@link #signingInput()}: the UTF-8 of {@code demos-im/envelope/v1/<profile>} and a line feed, then the JCS
 * of every member except {@code signature}. {@link #parse(String)} accepts exactly the canonical form.
 *
 * <pre>{@code
 * MessageEnvelope draft = MessageEnvelope.draft(MessageEnvelope.Profile.L2PS, alice.ed25519PublicKeyHex(),
 *         bob.ed25519PublicKeyHex(), MessageEnvelope.Type.TEXT, "hello", Optional.empty());
 * MessageEnvelope signed = DemosCrypto.load().signEnvelope(alice, draft);
 * String plaintext = signed.toJson();   // what is sealed to Bob's ML-KEM key
 * }</pre>
 *
 * @param profile which protocol's rules apply: L2PS (keys as ids, Ed25519) or legacy (client ids, ML-DSA-65)
 * @param id the message id: a lowercase UUID; replies and reactions refer to it
 * @param from the sender: on L2PS its Ed25519 key (64 lowercase hex digits), on legacy its client id
 * @param to the recipient, in the same form
 * @param type what {@code content} holds
 * @param content the text; for {@link Type#MEDIA} a base64 {@code data:} URI ({@link Media}); for
 *     {@link Type#REACTION} the reaction, e.g. an emoji
 * @param timestamp when the sender wrote it, ms since the epoch
 * @param replyTo the id of the message this one answers or reacts to; required for {@link Type#REACTION}
 * @param signingKey legacy: the sender's 1952-byte ML-DSA-65 public key; empty on L2PS (the key is {@code from})
 * @param signature the signature over {@link #signingInput()}; empty for a draft
 */
public record MessageEnvelope(Profile profile, String id, String from, String to, Type type, String content,
        long timestamp, Optional<String> replyTo, Optional<Bytes> signingKey, Optional<Bytes> signature) {

    /** The envelope version this SDK writes and reads, {@value}. */
    public static final int VERSION = 1;
    /** The longest legacy client id an envelope may name, in UTF-16 units, {@value}. */
    public static final int MAX_CLIENT_ID_LENGTH = 1024;

    /**
     * Creates an envelope, checking every rule of version 1 that concerns one member (the peers check the rest).
     *
     * @param profile the protocol's rules
     * @param id the message id
     * @param from the sender
     * @param to the recipient
     * @param type the content type
     * @param content the content
     * @param timestamp when it was written, ms since the epoch
     * @param replyTo the message answered or reacted to
     * @param signingKey legacy: the signer's ML-DSA-65 key
     * @param signature the signature, empty for a draft
     * @throws IllegalArgumentException naming the member that breaks a rule
     */
    public MessageEnvelope {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(replyTo, "replyTo");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(signature, "signature");
        EnvelopeFormat.check(profile, id, from, to, type, content, timestamp, replyTo, signingKey, signature);
    }

    /**
     * Starts an unsigned envelope with a fresh random id and the current time.
     *
     * @param profile the protocol's rules
     * @param from the sender (L2PS: its Ed25519 key in lowercase hex; legacy: its client id)
     * @param to the recipient, in the same form
     * @param type the content type
     * @param content the content
     * @param replyTo the message this one answers or reacts to
     * @return the draft, to be signed with {@link DemosCrypto#signEnvelope}
     * @throws IllegalArgumentException if a member breaks a rule of version 1
     */
    public static MessageEnvelope draft(Profile profile, String from, String to, Type type, String content,
            Optional<String> replyTo) {
        return new MessageEnvelope(profile, UUID.randomUUID().toString(), from, to, type, content,
                Instant.now().toEpochMilli(), replyTo, Optional.empty(), Optional.empty());
    }

    /**
     * Reads an envelope from its canonical JSON, checking every rule of version 1 that concerns the text and
     * its members (not the signature: see {@link DemosCrypto#verifyEnvelopeSignature}).
     *
     * @param json the decrypted plaintext
     * @return the envelope
     * @throws IllegalArgumentException saying which rule the text breaks (not an envelope, another version, an
     *     unknown or missing member, a malformed value, not in canonical form)
     */
    public static MessageEnvelope parse(String json) {
        return EnvelopeFormat.parse(Objects.requireNonNull(json, "json"));
    }

    /**
     * Tells a plaintext that claims to be an envelope from plain text: a JSON object of string and number members
     * only, among them {@code version} and {@code signature}. Such a plaintext must then {@link #parse} and verify;
     * anything else is plain text, as the TypeScript SDK sends it.
     *
     * @param plaintext the decrypted plaintext
     * @return whether it claims to be an envelope
     */
    public static boolean isEnvelope(String plaintext) {
        return EnvelopeFormat.claimsToBeEnvelope(Objects.requireNonNull(plaintext, "plaintext"));
    }

    /**
     * Returns the exact bytes the signature covers: {@code demos-im/envelope/v1/l2ps} (or {@code /legacy}), a line
     * feed, then the RFC 8785 JSON of every member but {@code signature}, all in UTF-8.
     *
     * @return the signing input
     * @throws IllegalStateException for a legacy envelope without its {@code signingKey}
     */
    public byte[] signingInput() {
        return EnvelopeFormat.signingInput(this);
    }

    /**
     * Returns the sealed plaintext: the RFC 8785 JSON of every member, {@code signature} included.
     *
     * @return the canonical JSON
     * @throws IllegalStateException if the envelope is not signed
     */
    public String toJson() {
        return EnvelopeFormat.toJson(this);
    }

    /**
     * Returns this envelope with a signature.
     *
     * @param signature the signature over {@link #signingInput()}
     * @return the signed envelope
     */
    public MessageEnvelope withSignature(Bytes signature) {
        return new MessageEnvelope(profile, id, from, to, type, content, timestamp, replyTo, signingKey,
                Optional.of(signature));
    }

    /**
     * Returns this legacy envelope with the signer's ML-DSA-65 key (and no signature, which would not cover it).
     *
     * @param mlDsaPublicKey the 1952-byte key
     * @return the envelope
     */
    public MessageEnvelope withSigningKey(Bytes mlDsaPublicKey) {
        return new MessageEnvelope(profile, id, from, to, type, content, timestamp, replyTo,
                Optional.of(mlDsaPublicKey), Optional.empty());
    }

    /**
     * Returns the key the signature must verify under: {@code from} on L2PS, {@code signingKey} on legacy.
     *
     * @return the key, empty for a legacy draft without its key
     */
    public Optional<Bytes> signerKey() {
        return profile == Profile.L2PS ? Optional.of(Bytes.fromHex(from)) : signingKey;
    }

    /**
     * Returns the media of a {@link Type#MEDIA} envelope.
     *
     * @return the MIME type and bytes; empty for other types
     */
    public Optional<Media> media() {
        return type == Type.MEDIA ? Optional.of(Media.fromContent(content)) : Optional.empty();
    }

    /** Whose rules an envelope follows: they differ in what names a peer and in the signature algorithm. */
    public enum Profile {
        /** L2PS: {@code from} and {@code to} are Ed25519 keys; Ed25519 signature by {@code from}. */
        L2PS("l2ps"),
        /** Legacy signaling: client ids; ML-DSA-65 signature by {@code signingKey}. */
        LEGACY("legacy");

        private final String label;

        Profile(String label) {
            this.label = label;
        }

        /**
         * Returns the name in the signing prefix.
         *
         * @return {@code l2ps} or {@code legacy}
         */
        public String label() {
            return label;
        }
    }

    /** The SDK's {@code MessageType}: what the content of an envelope holds. */
    public enum Type {
        /** Plain text. */
        TEXT,
        /** A file: a base64 {@code data:} URI with its MIME type. */
        MEDIA,
        /** A reaction (e.g. an emoji) to the message {@code replyTo} names. */
        REACTION,
        /** A system notification (received as is; this SDK sends none). */
        SYSTEM,
        /** A token transfer (received as is; this SDK sends none). */
        TRANSFER;

        /**
         * Returns the name on the wire.
         *
         * @return e.g. {@code text}
         */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Reads a wire name.
         *
         * @param wireName e.g. {@code reaction}
         * @return the type, or empty for a name version 1 does not define
         */
        public static Optional<Type> fromWire(String wireName) {
            for (Type t : values()) {
                if (t.wireName().equals(wireName)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The content of a {@link Type#MEDIA} envelope: a MIME type and bytes, carried as the base64 {@code data:} URI
     * {@code data:<mimeType>;base64,<data>} (RFC 2397), with lowercase type and subtype and standard padded base64.
     *
     * @param mimeType e.g. {@code image/png} or {@code text/plain;charset=utf-8}
     * @param data the bytes
     */
    public record Media(String mimeType, Bytes data) {

        /**
         * Creates the media.
         *
         * @param mimeType the MIME type
         * @param data the bytes
         * @throws IllegalArgumentException if the MIME type is not {@code type/subtype} with optional
         *     {@code ;name=value} parameters, type and subtype in lowercase
         */
        public Media {
            Objects.requireNonNull(mimeType, "mimeType");
            Objects.requireNonNull(data, "data");
            EnvelopeFormat.checkMimeType(mimeType);
        }

        /**
         * Returns the envelope content for this media.
         *
         * @return the data URI
         */
        public String toContent() {
            return "data:" + mimeType + ";base64," + data.toBase64();
        }

        /**
         * Reads the content of a media envelope.
         *
         * @param content a base64 data URI in canonical form
         * @return the media
         * @throws IllegalArgumentException if it is not one
         */
        public static Media fromContent(String content) {
            return EnvelopeFormat.media(Objects.requireNonNull(content, "content"));
        }
    }
}
