package io.github.demosim.internal.envelope;

import io.github.demosim.Bytes;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.MessageEnvelope.Profile;
import io.github.demosim.crypto.MessageEnvelope.Type;
import io.github.demosim.internal.wire.Stringify;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of envelope version 1 ({@code docs/envelopes.md} §2–§4), behind {@link MessageEnvelope}: members and
 * their forms, the canonical JSON, the signing input, reading a plaintext. Every message names the rule broken,
 * since it becomes the reason a recipient reports.
 */
public final class EnvelopeFormat {
    /** Ed25519 signature length. */
    public static final int ED25519_SIGNATURE_BYTES = 64;
    /** ML-DSA-65 public key length. */
    public static final int ML_DSA_PUBLIC_KEY_BYTES = 1952;
    /** ML-DSA-65 signature length. */
    public static final int ML_DSA_SIGNATURE_BYTES = 3309;

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KEY_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String TOKEN = "[a-z0-9][a-z0-9!#$&^_.+-]*";
    private static final Pattern MIME = Pattern.compile(TOKEN + "/" + TOKEN + "(?:;[a-z0-9!#$&^_.+-]+=[A-Za-z0-9!#$&^_.+-]+)*");
    private static final Pattern DATA_URI = Pattern.compile("data:([^,]*);base64,([A-Za-z0-9+/]*={0,2})");
    private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    private static final Set<String> MEMBERS = Set.of("version", "id", "from", "to", "type", "content", "timestamp",
            "replyTo", "signingKey", "signature");

    private EnvelopeFormat() {
    }

    /** The signing prefix of a profile: {@code demos-im/envelope/v1/<profile>} and a line feed. */
    public static String prefix(Profile profile) {
        return "demos-im/envelope/v" + MessageEnvelope.VERSION + "/" + profile.label() + "\n";
    }

    /** Checks the members of an envelope one by one; see {@link MessageEnvelope}'s constructor. */
    public static void check(Profile profile, String id, String from, String to, Type type, String content,
            long timestamp, Optional<String> replyTo, Optional<Bytes> signingKey, Optional<Bytes> signature) {
        require(UUID.matcher(id).matches(), "id must be a lowercase UUID (8-4-4-4-12 hex digits), not '"
                + shorten(id) + "'");
        replyTo.ifPresent(r -> require(UUID.matcher(r).matches(), "replyTo must be a lowercase UUID, not '"
                + shorten(r) + "'"));
        if (profile == Profile.L2PS) {
            require(KEY_HEX.matcher(from).matches(), "from must be the sender's Ed25519 key as 64 lowercase hex "
                    + "digits, not '" + shorten(from) + "'");
            require(KEY_HEX.matcher(to).matches(), "to must be the recipient's Ed25519 key as 64 lowercase hex "
                    + "digits, not '" + shorten(to) + "'");
            require(signingKey.isEmpty(), "an L2PS envelope has no signingKey: the key is from");
            signature.ifPresent(s -> require(s.length() == ED25519_SIGNATURE_BYTES, "signature must be the "
                    + ED25519_SIGNATURE_BYTES + "-byte Ed25519 signature, not " + s.length() + " bytes"));
        } else {
            requireClientId(from, "from");
            requireClientId(to, "to");
            signingKey.ifPresent(k -> require(k.length() == ML_DSA_PUBLIC_KEY_BYTES, "signingKey must be the "
                    + ML_DSA_PUBLIC_KEY_BYTES + "-byte ML-DSA-65 public key, not " + k.length() + " bytes"));
            signature.ifPresent(s -> require(s.length() == ML_DSA_SIGNATURE_BYTES, "signature must be the "
                    + ML_DSA_SIGNATURE_BYTES + "-byte ML-DSA-65 signature, not " + s.length() + " bytes"));
            require(signature.isEmpty() || signingKey.isPresent(), "a signed legacy envelope carries its signingKey");
        }
        require(Stringify.isWellFormed(content), "content holds an unpaired surrogate (not valid Unicode text)");
        require(timestamp >= 0 && timestamp <= MAX_SAFE_INTEGER, "timestamp must be ms since the epoch, an integer"
                + " from 0 to 2^53-1, not " + timestamp);
        if (type == Type.REACTION) {
            require(replyTo.isPresent(), "a reaction names the message it reacts to in replyTo");
            require(!content.isEmpty(), "a reaction has content (the reaction, e.g. an emoji)");
        }
        if (type == Type.MEDIA) {
            media(content);
        }
    }

    /** Checks a MIME type: {@code type/subtype}, lowercase, optional {@code ;name=value} parameters. */
    public static void checkMimeType(String mimeType) {
        require(mimeType.length() <= 255 && MIME.matcher(mimeType).matches(), "the MIME type must be type/subtype in "
                + "lowercase, with optional ;name=value parameters (e.g. image/png), not '" + shorten(mimeType) + "'");
    }

    /** Reads a media content: the canonical base64 data URI. */
    public static MessageEnvelope.Media media(String content) {
        Matcher m = DATA_URI.matcher(content);
        require(m.matches(), "media content must be a data URI, data:<mime type>;base64,<data>");
        byte[] data;
        try {
            data = Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the data of the media content is not base64: " + e.getMessage());
        }
        MessageEnvelope.Media media = new MessageEnvelope.Media(m.group(1), Bytes.of(data));
        require(media.toContent().equals(content), "the base64 of the media content is not in canonical form "
                + "(standard alphabet, padded)");
        return media;
    }

    /** The members in wire form; with or without the signature. */
    private static Map<String, Object> members(MessageEnvelope e, boolean withSignature) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", (long) MessageEnvelope.VERSION);
        m.put("id", e.id());
        m.put("from", e.from());
        m.put("to", e.to());
        m.put("type", e.type().wireName());
        m.put("content", e.content());
        m.put("timestamp", e.timestamp());
        e.replyTo().ifPresent(r -> m.put("replyTo", r));
        e.signingKey().ifPresent(k -> m.put("signingKey", k.toHex()));
        if (withSignature) {
            m.put("signature", e.signature().orElseThrow(() -> new IllegalStateException(
                    "the envelope is not signed; sign it with DemosCrypto.signEnvelope")).toHex());
        }
        return m;
    }

    /** See {@link MessageEnvelope#signingInput()}. */
    public static byte[] signingInput(MessageEnvelope e) {
        if (e.profile() == Profile.LEGACY && e.signingKey().isEmpty()) {
            throw new IllegalStateException("a legacy envelope is signed over its signingKey; add the signer's ML-DSA-65"
                    + " key first (withSigningKey)");
        }
        return (prefix(e.profile()) + FlatJson.canonical(members(e, false))).getBytes(StandardCharsets.UTF_8);
    }

    /** See {@link MessageEnvelope#toJson()}. */
    public static String toJson(MessageEnvelope e) {
        return FlatJson.canonical(members(e, true));
    }

    /** See {@link MessageEnvelope#isEnvelope(String)}. */
    public static boolean claimsToBeEnvelope(String plaintext) {
        if (plaintext.isEmpty() || plaintext.charAt(0) != '{' && !Character.isWhitespace(plaintext.charAt(0))) {
            return false; // the cheap test first: plain text rarely starts like a JSON object
        }
        return FlatJson.parse(plaintext).filter(m -> m.containsKey("version") && m.containsKey("signature"))
                .isPresent();
    }

    /** See {@link MessageEnvelope#parse(String)}. */
    public static MessageEnvelope parse(String json) {
        Map<String, Object> m = FlatJson.parse(json).orElseThrow(() -> new IllegalArgumentException(
                "not an envelope: not a JSON object of string and number members"));
        require(m.containsKey("version") && m.containsKey("signature"), "not an envelope: it has no "
                + (m.containsKey("version") ? "signature" : "version") + " member");
        Object version = m.get("version");
        require(version instanceof BigDecimal v && v.compareTo(BigDecimal.valueOf(MessageEnvelope.VERSION)) == 0,
                "envelope version " + shorten(String.valueOf(version)) + " is not supported (this SDK reads version "
                        + MessageEnvelope.VERSION + ")");
        for (String name : m.keySet()) {
            require(MEMBERS.contains(name), "unknown member '" + shorten(name) + "' (version "
                    + MessageEnvelope.VERSION + " has exactly " + MEMBERS.stream().sorted().toList() + ")");
        }
        String typeName = string(m, "type");
        Type type = Type.fromWire(typeName).orElseThrow(() -> new IllegalArgumentException("unknown type '"
                + shorten(typeName) + "' (text, media, reaction, system or transfer)"));
        Optional<Bytes> signingKey = m.containsKey("signingKey") ? Optional.of(hex(m, "signingKey"))
                : Optional.empty();
        MessageEnvelope envelope = new MessageEnvelope(signingKey.isPresent() ? Profile.LEGACY : Profile.L2PS,
                string(m, "id"), string(m, "from"), string(m, "to"), type, string(m, "content"), integer(m, "timestamp"),
                m.containsKey("replyTo") ? Optional.of(string(m, "replyTo")) : Optional.empty(), signingKey,
                Optional.of(hex(m, "signature")));
        require(envelope.toJson().equals(json), "not in canonical form (RFC 8785: members sorted, no whitespace, "
                + "minimal escapes, integers as plain digits)");
        return envelope;
    }

    private static String string(Map<String, Object> m, String name) {
        Object v = m.get(name);
        require(v != null, "member '" + name + "' is missing");
        require(v instanceof String, "member '" + name + "' must be a string");
        return (String) v;
    }

    private static long integer(Map<String, Object> m, String name) {
        Object v = m.get(name);
        require(v != null, "member '" + name + "' is missing");
        require(v instanceof BigDecimal, "member '" + name + "' must be a number");
        try {
            return ((BigDecimal) v).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("member '" + name + "' must be an integer, not " + shorten(v.toString()));
        }
    }

    private static Bytes hex(Map<String, Object> m, String name) {
        String s = string(m, name);
        require(isLowerHex(s), "member '" + name + "' must be lowercase hex");
        return Bytes.fromHex(s);
    }

    private static boolean isLowerHex(String s) {
        if (s.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static void requireClientId(String id, String name) {
        require(!id.isEmpty() && id.length() <= MessageEnvelope.MAX_CLIENT_ID_LENGTH, name + " must be a client id of 1 to "
                + MessageEnvelope.MAX_CLIENT_ID_LENGTH + " characters");
        require(Stringify.isWellFormed(id), name + " holds an unpaired surrogate");
    }

    private static void require(boolean condition, String rule) {
        if (!condition) {
            throw new IllegalArgumentException(rule);
        }
    }

    private static String shorten(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
