package io.github.demosim.tck.codec;

import io.github.demosim.frame.Frame;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of every frame as the protocol documents define them ({@code l2ps.md} §2–3,
 * {@code legacy-and-crypto.md} §A.2–A.3, §B.6) plus this project's extensions: which are required, what JSON
 * type each has, which are read leniently and which are relayed verbatim. The codec contract mutates frames
 * member by member and derives the expected outcome from this table.
 */
final class WireSchema {

    /** How a member is read. */
    enum Kind {
        /** A JSON string. */
        STRING,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** An integral number that fits a {@code long}; {@code 5.0} counts. */
        LONG,
        /** An integral number that fits an {@code int}. */
        INT,
        /** An array of strings. */
        STRINGS,
        /** An array of integers 0..255 (a {@code Uint8Array} as the TypeScript SDK writes it). */
        BYTES,
        /** An object with the nested members. */
        OBJECT,
        /** An array of objects with the nested members. */
        OBJECTS,
        /** Any JSON value, {@code null} included, kept as is; it must be present. */
        VERBATIM,
        /** Any JSON value; only its presence matters (the legacy {@code discover} payload). */
        PRESENT,
        /** A timestamp: an integral number is the value, anything else reads as absent. */
        LENIENT_NUMBER,
        /** The {@code requestId}: a string is the value, anything else reads as absent. */
        LENIENT_STRING,
        /**
         * A stored message's pipeline status: a string, as {@link #STRING}; a status the SDK does not know reads
         * as {@code L2psStatus.UNKNOWN} and is written back as {@code "unknown"} (documented on
         * {@code StoredMessage.status}).
         */
        STATUS
    }

    /**
     * One member.
     *
     * @param name the member name
     * @param kind how it is read
     * @param required whether a frame without it (or with {@code null}) is invalid
     * @param nested the members of an {@link Kind#OBJECT} or of the elements of {@link Kind#OBJECTS}
     */
    record Member(String name, Kind kind, boolean required, List<Member> nested) {
    }

    private static Member req(String name, Kind kind) {
        return new Member(name, kind, true, List.of());
    }

    private static Member opt(String name, Kind kind) {
        return new Member(name, kind, false, List.of());
    }

    private static Member object(String name, boolean required, List<Member> nested) {
        return new Member(name, Kind.OBJECT, required, nested);
    }

    /** The members of {@code encrypted}; any other member is relayed verbatim. */
    static final List<Member> ENCRYPTED = List.of(req("ciphertext", Kind.STRING), req("nonce", Kind.STRING),
            opt("ephemeralKey", Kind.STRING));

    private static final List<Member> STORED_MESSAGE = List.of(req("id", Kind.STRING), req("from", Kind.STRING),
            req("to", Kind.STRING), req("messageHash", Kind.STRING), object("encrypted", true, ENCRYPTED),
            req("l2psUid", Kind.STRING), opt("l2psTxHash", Kind.STRING), req("timestamp", Kind.LONG),
            req("status", Kind.STATUS));

    private static final List<Member> SIGNED_OBJECT = List.of(req("algorithm", Kind.STRING),
            req("serializedSignedData", Kind.STRING), req("serializedPublicKey", Kind.STRING),
            req("serializedMessage", Kind.STRING));

    private static final Map<Class<?>, Map<String, List<Member>>> PAYLOADS = Map.of(
            L2psClientFrame.class, ordered(
                    "register", List.of(req("publicKey", Kind.STRING), req("l2psUid", Kind.STRING),
                            req("proof", Kind.STRING), opt("kemPublicKey", Kind.STRING),
                            opt("features", Kind.STRINGS)),
                    "send", List.of(req("to", Kind.STRING), object("encrypted", true, ENCRYPTED),
                            req("messageHash", Kind.STRING)),
                    "history", List.of(req("peerKey", Kind.STRING), req("proof", Kind.STRING),
                            opt("before", Kind.LONG), opt("limit", Kind.INT)),
                    "discover", List.of(),
                    "request_public_key", List.of(req("targetId", Kind.STRING)),
                    "ack", List.of(req("messageHash", Kind.STRING)),
                    "challenge", List.of()),
            L2psServerFrame.class, ordered(
                    "registered", List.of(req("success", Kind.BOOLEAN), req("publicKey", Kind.STRING),
                            req("l2psUid", Kind.STRING), req("onlinePeers", Kind.STRINGS),
                            opt("features", Kind.STRINGS)),
                    "message", List.of(req("from", Kind.STRING), object("encrypted", true, ENCRYPTED),
                            req("messageHash", Kind.STRING), req("offline", Kind.BOOLEAN),
                            opt("sentAt", Kind.LENIENT_NUMBER)),
                    "message_sent", List.of(req("messageHash", Kind.STRING), req("l2psStatus", Kind.STRING)),
                    "message_queued", List.of(req("messageHash", Kind.STRING), req("status", Kind.STRING)),
                    "history_response", List.of(new Member("messages", Kind.OBJECTS, true, STORED_MESSAGE),
                            req("hasMore", Kind.BOOLEAN)),
                    "discover_response", List.of(req("peers", Kind.STRINGS)),
                    "public_key_response", List.of(req("targetId", Kind.STRING), opt("publicKey", Kind.STRING),
                            opt("kemPublicKey", Kind.STRING), opt("features", Kind.STRINGS)),
                    "peer_joined", List.of(req("publicKey", Kind.STRING)),
                    "peer_left", List.of(req("publicKey", Kind.STRING)),
                    "error", List.of(req("code", Kind.STRING), opt("message", Kind.STRING)),
                    "message_status", List.of(req("messageHash", Kind.STRING), req("status", Kind.STRING),
                            opt("l2psTxHash", Kind.STRING)),
                    "challenge_response", List.of(req("nonce", Kind.STRING))),
            LegacyClientFrame.class, ordered(
                    "register", List.of(req("clientId", Kind.STRING), req("publicKey", Kind.BYTES),
                            object("verification", false, SIGNED_OBJECT), opt("features", Kind.STRINGS)),
                    "discover", List.of(),
                    "message", List.of(req("targetId", Kind.STRING), req("message", Kind.VERBATIM)),
                    "request_public_key", List.of(req("targetId", Kind.STRING)),
                    "debug_question", List.of(),
                    "peer_response", List.of(req("questionId", Kind.STRING), req("response", Kind.VERBATIM))),
            LegacyServerFrame.class, ordered(
                    "register", List.of(req("success", Kind.BOOLEAN), opt("clientId", Kind.STRING)),
                    "discover", List.of(req("peers", Kind.STRINGS)),
                    "public_key_response", List.of(req("peerId", Kind.STRING), req("publicKey", Kind.VERBATIM),
                            opt("features", Kind.STRINGS)),
                    "message", List.of(req("message", Kind.VERBATIM), req("fromId", Kind.STRING),
                            opt("timestamp", Kind.LENIENT_NUMBER)),
                    "message_queued", List.of(req("targetId", Kind.STRING), req("status", Kind.STRING),
                            req("message", Kind.STRING)),
                    "peer_disconnected", List.of(req("peerId", Kind.STRING)),
                    "server_question", List.of(req("questionId", Kind.STRING), req("question", Kind.VERBATIM)),
                    "error", List.of(req("errorType", Kind.STRING), opt("details", Kind.STRING),
                            opt("timestamp", Kind.STRING))));

    private WireSchema() {
    }

    private static Map<String, List<Member>> ordered(Object... typesAndMembers) {
        Map<String, List<Member>> m = new LinkedHashMap<>();
        for (int i = 0; i < typesAndMembers.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Member> members = (List<Member>) typesAndMembers[i + 1];
            m.put((String) typesAndMembers[i], members);
        }
        return m;
    }

    static boolean isL2ps(Class<? extends Frame> family) {
        return family == L2psClientFrame.class || family == L2psServerFrame.class;
    }

    /**
     * Returns the wire types of a family, in document order.
     *
     * @param family a frame family
     * @return the types
     */
    static List<String> types(Class<? extends Frame> family) {
        return List.copyOf(PAYLOADS.get(family).keySet());
    }

    /**
     * Returns the members of a frame's envelope other than {@code type}: {@code payload} (whose kind depends on
     * the type), and for L2PS {@code timestamp} and {@code requestId}.
     *
     * @param family a frame family
     * @param type the wire type
     * @return the envelope members
     */
    static List<Member> envelope(Class<? extends Frame> family, String type) {
        List<Member> payloadMembers = PAYLOADS.get(family).get(type);
        if (isL2ps(family)) {
            return List.of(object("payload", true, payloadMembers), opt("timestamp", Kind.LENIENT_NUMBER),
                    opt("requestId", Kind.LENIENT_STRING));
        }
        if (type.equals("debug_question")) {
            return List.of(req("payload", Kind.VERBATIM));
        }
        if (type.equals("discover") && family == LegacyClientFrame.class) {
            return List.of(req("payload", Kind.PRESENT));
        }
        return List.of(object("payload", true, payloadMembers));
    }
}
