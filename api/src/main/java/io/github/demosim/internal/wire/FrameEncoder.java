package io.github.demosim.internal.wire;

import io.github.demosim.Bytes;
import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.MessageStatus;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.DiscoverResponse;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyFrame;
import io.github.demosim.frame.legacy.MessageQueued;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PeerResponse;
import io.github.demosim.frame.legacy.PublicKeyResponse;
import io.github.demosim.frame.legacy.Register;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.JsonSink;
import java.util.List;

/**
 * Frame records to JSON events, members in the order the reference implementations write them
 * ({@code l2ps.md} §2–3, {@code legacy-and-crypto.md} §A.2–A.3, §B.6). Absent optional members are omitted,
 * except where the reference writes {@code null}: {@code public_key_response.publicKey} and
 * {@code StoredMessage.l2psTxHash}.
 *
 * <p>The events go to a {@link JsonSink}: a codec's writer (frame to text, no tree in between), a tree builder
 * ({@code toJson}), or any writer with other number and escaping rules, such as {@code JSON.stringify}'s.
 * A required member that is {@code null} fails with its path before anything of it is written; what was
 * written before that is the caller's to discard.
 */
public final class FrameEncoder {

    private FrameEncoder() {
    }

    /**
     * Writes a frame.
     *
     * @param frame the frame
     * @param out where to write it
     * @throws CodecException {@code CODEC_ENCODE_FAILED} if a member the protocol requires is {@code null}
     */
    public static void write(Frame frame, JsonSink out) {
        write(frame, out, Verbatim.NONE);
    }

    /**
     * Writes a frame, some of whose members are written as a relay received them rather than from the record.
     *
     * @param frame the frame
     * @param out where to write it
     * @param verbatim the members to write as given, by path
     * @throws CodecException {@code CODEC_ENCODE_FAILED} if a member the protocol requires is {@code null}
     *         and not given verbatim
     */
    public static void write(Frame frame, JsonSink out, Verbatim verbatim) {
        if (frame instanceof L2psFrame f) {
            out.beginObject();
            out.name("type");
            out.string(f.type());
            out.name("payload");
            Members payload = new Members(f.type(), "payload", out, 2, verbatim);
            l2psPayload(f, payload, out);
            payload.build();
            if (f.timestamp() != null) {
                out.name("timestamp");
                out.number(f.timestamp());
            }
            if (f.requestId() != null) {
                out.name("requestId");
                out.string(f.requestId());
            }
            out.endObject();
            return;
        }
        if (frame instanceof LegacyFrame f) {
            out.beginObject();
            out.name("type");
            out.string(f.type());
            out.name("payload");
            legacyPayload(f, out, verbatim);
            out.endObject();
            return;
        }
        throw new NullPointerException("frame");
    }

    private static void l2psPayload(L2psFrame frame, Members p, JsonSink out) {
        if (frame instanceof io.github.demosim.frame.l2ps.Register f) {
            p.string("publicKey", f.publicKey()).string("l2psUid", f.l2psUid()).string("proof", f.proof())
                    .optionalString("kemPublicKey", f.kemPublicKey()).optionalStrings("features", f.features());
        } else if (frame instanceof Send f) {
            p.string("to", f.to()).encrypted("encrypted", f.encrypted()).string("messageHash", f.messageHash());
        } else if (frame instanceof History f) {
            p.string("peerKey", f.peerKey()).optionalNumber("before", f.before())
                    .optionalNumber("limit", f.limit() == null ? null : f.limit().longValue())
                    .string("proof", f.proof());
        } else if (frame instanceof io.github.demosim.frame.l2ps.Discover) {
            // empty payload
        } else if (frame instanceof RequestPublicKey f) {
            p.string("targetId", f.targetId());
        } else if (frame instanceof Ack f) {
            p.string("messageHash", f.messageHash());
        } else if (frame instanceof io.github.demosim.frame.l2ps.Challenge) {
            // empty payload
        } else if (frame instanceof io.github.demosim.frame.l2ps.ChallengeResponse f) {
            p.string("nonce", f.nonce());
        } else if (frame instanceof Registered f) {
            p.bool("success", f.success()).string("publicKey", f.publicKey()).string("l2psUid", f.l2psUid())
                    .strings("onlinePeers", f.onlinePeers()).optionalStrings("features", f.features());
        } else if (frame instanceof Message f) {
            p.string("from", f.from()).encrypted("encrypted", f.encrypted()).string("messageHash", f.messageHash())
                    .bool("offline", f.offline()).optionalNumber("sentAt", f.sentAt());
        } else if (frame instanceof MessageSent f) {
            p.string("messageHash", f.messageHash()).string("l2psStatus", f.l2psStatus());
        } else if (frame instanceof io.github.demosim.frame.l2ps.MessageQueued f) {
            p.string("messageHash", f.messageHash()).string("status", f.status());
        } else if (frame instanceof HistoryResponse f) {
            p.array("messages", f.messages());
            for (int i = 0; i < f.messages().size(); i++) {
                storedMessage(f.type(), "payload.messages[" + i + "]", f.messages().get(i), out, p.depth + 2,
                        p.verbatim);
            }
            out.endArray();
            p.bool("hasMore", f.hasMore());
        } else if (frame instanceof io.github.demosim.frame.l2ps.DiscoverResponse f) {
            p.strings("peers", f.peers());
        } else if (frame instanceof io.github.demosim.frame.l2ps.PublicKeyResponse f) {
            p.string("targetId", f.targetId()).nullableString("publicKey", f.publicKey())
                    .optionalString("kemPublicKey", f.kemPublicKey()).optionalStrings("features", f.features());
        } else if (frame instanceof PeerJoined f) {
            p.string("publicKey", f.publicKey());
        } else if (frame instanceof PeerLeft f) {
            p.string("publicKey", f.publicKey());
        } else if (frame instanceof io.github.demosim.frame.l2ps.ErrorFrame f) {
            p.string("code", f.code()).optionalString("message", f.message());
        } else if (frame instanceof MessageStatus f) {
            p.string("messageHash", f.messageHash()).string("status", f.status())
                    .optionalString("l2psTxHash", f.l2psTxHash());
        } else {
            throw new IllegalStateException("no encoder for " + frame.getClass().getName());
        }
    }

    private static void storedMessage(String type, String path, StoredMessage m, JsonSink out, int depth,
            Verbatim verbatim) {
        if (m == null) {
            throw Members.nullMember(type, path);
        }
        new Members(type, path, out, depth, verbatim).string("id", m.id()).string("from", m.from()).string("to", m.to())
                .string("messageHash", m.messageHash()).encrypted("encrypted", m.encrypted())
                .string("l2psUid", m.l2psUid()).nullableString("l2psTxHash", m.l2psTxHash())
                .number("timestamp", m.timestamp()).string("status", m.status().wireName()).build();
    }

    private static void legacyPayload(LegacyFrame frame, JsonSink out, Verbatim verbatim) {
        if (frame instanceof DebugQuestion f) {
            if (f.payload() == null) {
                throw Members.nullMember(f.type(), "payload");
            }
            JsonTrees.write(f.payload(), out, 1);
            return;
        }
        Members p = new Members(frame.type(), "payload", out, 2, verbatim);
        if (frame instanceof Register f) {
            p.string("clientId", f.clientId()).bytes("publicKey", f.publicKey())
                    .signedObject("verification", f.verification()).optionalStrings("features", f.features());
        } else if (frame instanceof io.github.demosim.frame.legacy.Discover) {
            // empty payload: the reference requires it present and truthy, {} is both
        } else if (frame instanceof SendMessage f) {
            p.string("targetId", f.targetId()).value("message", f.message());
        } else if (frame instanceof io.github.demosim.frame.legacy.RequestPublicKey f) {
            p.string("targetId", f.targetId());
        } else if (frame instanceof PeerResponse f) {
            p.string("questionId", f.questionId()).value("response", f.response());
        } else if (frame instanceof RegisterAck f) {
            p.bool("success", f.success()).optionalString("clientId", f.clientId());
        } else if (frame instanceof DiscoverResponse f) {
            p.strings("peers", f.peers());
        } else if (frame instanceof PublicKeyResponse f) {
            p.string("peerId", f.peerId()).value("publicKey", f.publicKey()).optionalStrings("features", f.features());
        } else if (frame instanceof IncomingMessage f) {
            p.value("message", f.message()).string("fromId", f.fromId()).optionalNumber("timestamp", f.timestamp());
        } else if (frame instanceof MessageQueued f) {
            p.string("targetId", f.targetId()).string("status", f.status()).string("message", f.message());
        } else if (frame instanceof PeerDisconnected f) {
            p.string("peerId", f.peerId());
        } else if (frame instanceof ServerQuestion f) {
            p.string("questionId", f.questionId()).value("question", f.question());
        } else if (frame instanceof io.github.demosim.frame.legacy.ErrorFrame f) {
            p.string("errorType", f.errorType()).optionalString("details", f.details())
                    .optionalString("timestamp", f.timestamp());
        } else {
            throw new IllegalStateException("no encoder for " + frame.getClass().getName());
        }
        p.build();
    }

    /**
     * Members a relay writes as it received them: the server's reference mode relays what a client sent (a
     * number where the record holds a string, an {@code encrypted} object with non-string members or its own
     * member order), and the records cannot hold that. Paths are those of encode errors: {@code payload.targetId},
     * {@code payload.encrypted}, {@code payload.messages[3].encrypted}. A verbatim member replaces the record's,
     * which may then be {@code null} even where the protocol requires it.
     */
    @FunctionalInterface
    public interface Verbatim {
        /** No member verbatim. */
        Verbatim NONE = path -> null;
        /**
         * Given for a member, leaves it out: {@code JSON.stringify} drops an {@code undefined} member, which the
         * reference writes where a legacy client registered without an id. Compared by identity.
         */
        JsonValue OMIT = new JsonValue.JsonString(new String("omitted member"));
        /** An L2PS frame's relayed {@code encrypted}. */
        String ENCRYPTED = "payload.encrypted";
        /** A {@code targetId} echoed as sent. */
        String TARGET_ID = "payload.targetId";
        /** {@code public_key_response.kemPublicKey}, which the server writes as {@code null} when none is known. */
        String KEM_PUBLIC_KEY = "payload.kemPublicKey";
        /** {@code message_status.l2psTxHash}, which the server writes as {@code null} when there is none. */
        String L2PS_TX_HASH = "payload.l2psTxHash";
        /** A legacy {@code clientId}, echoed as sent. */
        String CLIENT_ID = "payload.clientId";
        /** A legacy client id in {@code fromId}, as it registered. */
        String FROM_ID = "payload.fromId";
        /** A legacy client id in {@code peerId}, as sent or as it registered. */
        String PEER_ID = "payload.peerId";
        /** The legacy {@code discover} list, ids as they registered. */
        String PEERS = "payload.peers";

        /**
         * The path of a history message's {@code encrypted}.
         *
         * @param index the message's index
         * @return its path
         */
        static String storedEncrypted(int index) {
            return "payload.messages[" + index + "].encrypted";
        }

        /**
         * One member verbatim.
         *
         * @param path its path
         * @param value its value
         * @return the verbatim set
         */
        static Verbatim at(String path, JsonValue value) {
            return p -> p.equals(path) ? value : null;
        }

        /**
         * This and one more member verbatim.
         *
         * @param path its path
         * @param value its value
         * @return the verbatim set
         */
        default Verbatim and(String path, JsonValue value) {
            return p -> p.equals(path) ? value : at(p);
        }

        /**
         * The value to write at a path.
         *
         * @param path the member's path
         * @return its value as received, or {@code null} to write the record's
         */
        JsonValue at(String path);
    }

    /**
     * Writes one JSON object, member by member; a required member that is {@code null} fails with its path
     * before its name is written.
     */
    private static final class Members {
        private final String type;
        private final String path;
        private final JsonSink out;
        /** How many objects and arrays are open, this one included: a relayed value's nesting adds to it. */
        private final int depth;
        private final Verbatim verbatim;

        /** Starts the object. */
        Members(String type, String path, JsonSink out, int depth, Verbatim verbatim) {
            this.type = type;
            this.path = path;
            this.out = out;
            this.depth = depth;
            this.verbatim = verbatim;
            out.beginObject();
        }

        /** Writes a member given verbatim, if it is; {@code true} if it was. */
        private boolean verbatim(String name) {
            if (verbatim == Verbatim.NONE) {
                return false;
            }
            JsonValue value = verbatim.at(pathOf(name));
            if (value == null) {
                return false;
            }
            if (value != Verbatim.OMIT) {
                out.name(name);
                JsonTrees.write(value, out, depth);
            }
            return true;
        }

        static CodecException nullMember(String type, String path) {
            return new CodecException(ErrorCode.CODEC_ENCODE_FAILED, "Cannot encode a '" + type + "' frame: "
                    + path + " is null but the protocol requires it; set it when creating the frame", path, -1,
                    null);
        }

        private String pathOf(String name) {
            return path + "." + name;
        }

        /** Checks a required member and writes its name. */
        private Members required(String name, Object value) {
            if (value == null) {
                throw nullMember(type, pathOf(name));
            }
            out.name(name);
            return this;
        }

        Members value(String name, JsonValue value) {
            if (verbatim(name)) {
                return this;
            }
            required(name, value);
            JsonTrees.write(value, out, depth);
            return this;
        }

        Members string(String name, String value) {
            if (verbatim(name)) {
                return this;
            }
            required(name, value);
            out.string(value);
            return this;
        }

        Members optionalString(String name, String value) {
            if (value == null) {
                verbatim(name);
                return this;
            }
            return string(name, value);
        }

        Members nullableString(String name, String value) {
            if (verbatim(name)) {
                return this;
            }
            out.name(name);
            if (value == null) {
                out.nullValue();
            } else {
                out.string(value);
            }
            return this;
        }

        Members bool(String name, boolean value) {
            out.name(name);
            out.bool(value);
            return this;
        }

        Members number(String name, long value) {
            out.name(name);
            out.number(value);
            return this;
        }

        Members optionalNumber(String name, Long value) {
            return value == null ? this : number(name, value);
        }

        Members strings(String name, List<String> values) {
            if (verbatim(name)) {
                return this;
            }
            array(name, values);
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                if (value == null) {
                    throw nullMember(type, pathOf(name) + "[" + i + "]");
                }
                out.string(value);
            }
            out.endArray();
            return this;
        }

        Members optionalStrings(String name, List<String> values) {
            return values == null || values.isEmpty() ? this : strings(name, values);
        }

        /** Starts a required array member; the caller writes the elements and ends it. */
        void array(String name, List<?> values) {
            required(name, values);
            out.beginArray();
        }

        Members bytes(String name, Bytes value) {
            required(name, value);
            out.beginArray();
            for (int i = 0; i < value.length(); i++) {
                out.number(value.get(i) & 0xff);
            }
            out.endArray();
            return this;
        }

        Members encrypted(String name, Encrypted e) {
            if (verbatim(name)) {
                return this;
            }
            required(name, e);
            Members m = new Members(type, pathOf(name), out, depth + 1, verbatim).string("ciphertext", e.ciphertext())
                    .string("nonce", e.nonce()).optionalString("ephemeralKey", e.ephemeralKey());
            e.extra().forEach(m::value);
            m.build();
            return this;
        }

        Members signedObject(String name, SignedObject s) {
            if (s == null) {
                return this;
            }
            out.name(name);
            new Members(type, pathOf(name), out, depth + 1, verbatim).string("algorithm", s.algorithm())
                    .string("serializedSignedData", s.serializedSignedData())
                    .string("serializedPublicKey", s.serializedPublicKey())
                    .string("serializedMessage", s.serializedMessage()).build();
            return this;
        }

        /** Ends the object. */
        void build() {
            out.endObject();
        }
    }
}
