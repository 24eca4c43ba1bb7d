package io.github.demosim.internal.wire;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.MessageSent;
import io.github.demosim.frame.l2ps.MessageStatus;
import io.github.demosim.frame.l2ps.PeerJoined;
import io.github.demosim.frame.l2ps.PeerLeft;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PeerResponse;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.JsonSource.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON documents to frame records of one family (protocol and direction; the legacy protocol reuses
 * {@code register}, {@code discover} and {@code message} in both directions for different frames). The document
 * comes on a {@link Tape}, read from a codec's tokens or copied from a tree.
 *
 * <p>Checks run in the reference servers' order: the envelope ({@code type} a non-empty string,
 * {@code payload} present), then the type, then the payload's members. Unknown members are ignored, except
 * inside {@code encrypted}. A member is required when the record documents no absent value for it.
 */
public final class FrameDecoder {

    /** Reads the payload of one frame type; {@code e} gives the envelope's timestamp and requestId. */
    private interface PayloadReader {
        Frame read(Fields p, Envelope e);
    }

    /** The L2PS envelope members outside the payload. */
    private record Envelope(Long timestamp, String requestId) {
    }

    /** A protocol and direction, with its frame types in the order the protocol documents list them. */
    private enum Family {
        L2PS_CLIENT(L2psClientFrame.class, "L2PS client frame", true, l2psClientReaders()),
        L2PS_SERVER(L2psServerFrame.class, "L2PS server frame", true, l2psServerReaders()),
        LEGACY_CLIENT(LegacyClientFrame.class, "legacy client frame", false, legacyClientReaders()),
        LEGACY_SERVER(LegacyServerFrame.class, "legacy server frame", false, legacyServerReaders());

        final Class<? extends Frame> type;
        final String label;
        final boolean l2ps;
        final Map<String, PayloadReader> readers;

        Family(Class<? extends Frame> type, String label, boolean l2ps, Map<String, PayloadReader> readers) {
            this.type = type;
            this.label = label;
            this.l2ps = l2ps;
            this.readers = readers;
        }

        static Family of(Class<?> type) {
            for (Family f : values()) {
                if (f.type == type) {
                    return f;
                }
            }
            throw new IllegalArgumentException("Cannot decode frames of " + (type == null ? null : type.getName())
                    + ": the family must be one of L2psClientFrame.class, L2psServerFrame.class,"
                    + " LegacyClientFrame.class, LegacyServerFrame.class");
        }
    }

    private FrameDecoder() {
    }

    /** Fails with an {@link IllegalArgumentException} unless {@code family} is one of the four families. */
    public static void checkFamily(Class<?> family) {
        Family.of(family);
    }

    /**
     * Decodes a frame given as a tree, with the codecs' strict rules.
     *
     * @param <F> the family
     * @param json the whole frame
     * @param family one of the four families
     * @return the frame
     * @throws CodecException if the tree is not a frame of that family
     */
    public static <F extends Frame> F fromJson(JsonValue json, Class<F> family) {
        return fromJson(json, family, Leniency.STRICT);
    }

    /**
     * Decodes a frame given as a tree, accepting what {@code leniency} accepts of members of the wrong type.
     *
     * @param <F> the family
     * @param json the whole frame
     * @param family one of the four families
     * @param leniency what to accept: {@link Leniency#STRICT} for the codecs' rules
     * @return the frame
     * @throws CodecException if the tree is not a frame of that family
     */
    public static <F extends Frame> F fromJson(JsonValue json, Class<F> family, Leniency leniency) {
        Family f = Family.of(family);
        return family.cast(decode(Tape.of(json, f.label), f, leniency));
    }

    /** Decodes the frame read onto a tape, with the codecs' strict rules. */
    static <F extends Frame> F decode(Tape tape, Class<F> family) {
        return family.cast(decode(tape, Family.of(family), Leniency.STRICT));
    }

    private static Frame decode(Tape tape, Family family, Leniency leniency) {
        if (tape.kind(0) != Token.BEGIN_OBJECT) {
            throw Fields.invalid(family.label, null, "expected a JSON object {\"type\": …, \"payload\": …}, but got "
                    + tape.describe(0));
        }
        // The envelope is strict in every mode: a frame without a string type is nothing to dispatch.
        Fields envelope = new Fields(tape, 0, "", family.label, null, Leniency.STRICT);
        String type = envelope.string("type");
        if (type.isEmpty()) {
            throw Fields.invalid(family.label, "type", "is empty; expected the frame type, e.g. '"
                    + family.readers.keySet().iterator().next() + "'");
        }
        int payload = tape.member(0, "payload");
        if (payload < 0 || (family.l2ps && tape.kind(payload) != Token.BEGIN_OBJECT)) {
            throw Fields.invalid(frame(family, type), "payload", payload < 0 ? "is missing; expected an object"
                    : "must be an object, but is " + tape.describe(payload));
        }
        PayloadReader reader = family.readers.get(type);
        if (reader == null) {
            throw unknownType(family, type);
        }
        Envelope e = family.l2ps
                ? new Envelope(envelope.lenientTimestamp("timestamp"), envelope.lenientString("requestId"))
                : null;
        if (tape.kind(payload) == Token.BEGIN_OBJECT) {
            return reader.read(new Fields(tape, payload, "payload", family.label, type, leniency), e);
        }
        // Only the legacy debug_question carries a non-object payload (relayed verbatim), and the legacy
        // discover ignores its payload; every other legacy frame needs an object.
        if (family == Family.LEGACY_CLIENT && type.equals(DebugQuestion.TYPE)) {
            return new DebugQuestion(tape.value(payload));
        }
        if (family == Family.LEGACY_CLIENT && type.equals(io.github.demosim.frame.legacy.Discover.TYPE)) {
            return new io.github.demosim.frame.legacy.Discover();
        }
        throw Fields.invalid(frame(family, type), "payload", "must be an object, but is " + tape.describe(payload));
    }

    /** What is being decoded, for messages: {@code L2PS client frame 'send'}. */
    private static String frame(Family family, String type) {
        return family.label + " '" + type + "'";
    }

    private static CodecException unknownType(Family family, String type) {
        String hint = "";
        for (Family other : Family.values()) {
            if (other != family && other.l2ps == family.l2ps && other.readers.containsKey(type)) {
                hint = " ('" + type + "' is " + (other.l2ps ? "an " : "a ") + other.label + "; decode it with " + other.type.getSimpleName()
                        + ".class)";
            }
        }
        String shown = type.length() > 40 ? type.substring(0, 40) + "…" : type;
        return new CodecException(ErrorCode.CODEC_UNKNOWN_TYPE, "Unknown " + family.label + " type '" + shown
                + "'" + hint + "; expected one of: " + String.join(", ", family.readers.keySet()), "type", -1, null);
    }

    private static Map<String, PayloadReader> l2psClientReaders() {
        Map<String, PayloadReader> r = new LinkedHashMap<>();
        r.put(io.github.demosim.frame.l2ps.Register.TYPE, (p, e) -> new io.github.demosim.frame.l2ps.Register(
                p.string("publicKey"), p.string("l2psUid"), p.string("proof"), p.optionalString("kemPublicKey"),
                p.optionalStrings("features"), e.timestamp(), e.requestId()));
        r.put(Send.TYPE, (p, e) -> new Send(p.string("to"), p.encrypted("encrypted"), p.string("messageHash"),
                e.timestamp(), e.requestId()));
        r.put(History.TYPE, (p, e) -> new History(p.string("peerKey"), p.string("proof"),
                p.optionalInteger("before"), p.optionalInt("limit"), e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.Discover.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.Discover(e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.RequestPublicKey.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.RequestPublicKey(p.string("targetId"), e.timestamp(),
                        e.requestId()));
        r.put(Ack.TYPE, (p, e) -> new Ack(p.string("messageHash"), e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.Challenge.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.Challenge(e.timestamp(), e.requestId()));
        return r;
    }

    private static Map<String, PayloadReader> l2psServerReaders() {
        Map<String, PayloadReader> r = new LinkedHashMap<>();
        r.put(Registered.TYPE, (p, e) -> new Registered(p.bool("success"), p.string("publicKey"),
                p.string("l2psUid"), p.strings("onlinePeers"), p.optionalStrings("features"), e.timestamp(),
                e.requestId()));
        r.put(Message.TYPE, (p, e) -> new Message(p.string("from"), p.encrypted("encrypted"),
                p.string("messageHash"), p.bool("offline"), p.lenientTimestamp("sentAt"), e.timestamp(),
                e.requestId()));
        r.put(MessageSent.TYPE, (p, e) -> new MessageSent(p.string("messageHash"), p.string("l2psStatus"),
                e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.MessageQueued.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.MessageQueued(p.string("messageHash"),
                        p.string("status"), e.timestamp(), e.requestId()));
        r.put(HistoryResponse.TYPE, (p, e) -> new HistoryResponse(storedMessages(p), p.bool("hasMore"),
                e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.DiscoverResponse.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.DiscoverResponse(p.strings("peers"), e.timestamp(),
                        e.requestId()));
        r.put(io.github.demosim.frame.l2ps.PublicKeyResponse.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.PublicKeyResponse(p.string("targetId"),
                        p.optionalString("publicKey"), p.optionalString("kemPublicKey"),
                        p.optionalStrings("features"), e.timestamp(), e.requestId()));
        r.put(PeerJoined.TYPE, (p, e) -> new PeerJoined(p.string("publicKey"), e.timestamp(), e.requestId()));
        r.put(PeerLeft.TYPE, (p, e) -> new PeerLeft(p.string("publicKey"), e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.ErrorFrame.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.ErrorFrame(p.string("code"), p.optionalString("message"),
                        e.timestamp(), e.requestId()));
        r.put(MessageStatus.TYPE, (p, e) -> new MessageStatus(p.string("messageHash"), p.string("status"),
                p.optionalString("l2psTxHash"), e.timestamp(), e.requestId()));
        r.put(io.github.demosim.frame.l2ps.ChallengeResponse.TYPE,
                (p, e) -> new io.github.demosim.frame.l2ps.ChallengeResponse(p.string("nonce"), e.timestamp(),
                        e.requestId()));
        return r;
    }

    private static List<StoredMessage> storedMessages(Fields p) {
        List<StoredMessage> messages = new ArrayList<>();
        for (Fields m : p.objects("messages")) {
            messages.add(new StoredMessage(m.string("id"), m.string("from"), m.string("to"), m.string("messageHash"),
                    m.encrypted("encrypted"), m.string("l2psUid"), m.optionalString("l2psTxHash"),
                    m.integer("timestamp"), io.github.demosim.L2psStatus.fromWire(m.string("status"))));
        }
        return messages;
    }

    private static Map<String, PayloadReader> legacyClientReaders() {
        Map<String, PayloadReader> r = new LinkedHashMap<>();
        r.put(io.github.demosim.frame.legacy.Register.TYPE, (p, e) -> new io.github.demosim.frame.legacy.Register(
                p.string("clientId"), p.bytes("publicKey"), signedObject(p.optionalObject("verification")),
                p.optionalStrings("features")));
        r.put(io.github.demosim.frame.legacy.Discover.TYPE, (p, e) -> new io.github.demosim.frame.legacy.Discover());
        r.put(SendMessage.TYPE, (p, e) -> new SendMessage(p.string("targetId"), p.value("message")));
        r.put(io.github.demosim.frame.legacy.RequestPublicKey.TYPE,
                (p, e) -> new io.github.demosim.frame.legacy.RequestPublicKey(p.string("targetId")));
        r.put(DebugQuestion.TYPE, (p, e) -> new DebugQuestion(p.whole()));
        r.put(PeerResponse.TYPE, (p, e) -> new PeerResponse(p.string("questionId"), p.value("response")));
        return r;
    }

    /** The legacy {@code register.verification} object, read by the register reader's rules. */
    static SignedObject signedObject(JsonValue verification) {
        String label = Family.LEGACY_CLIENT.label;
        return signedObject(new Fields(Tape.of(verification, label), 0, "payload.verification", label,
                io.github.demosim.frame.legacy.Register.TYPE, Leniency.STRICT));
    }

    private static SignedObject signedObject(Fields v) {
        return v == null ? null : new SignedObject(v.string("algorithm"), v.string("serializedSignedData"),
                v.string("serializedPublicKey"), v.string("serializedMessage"));
    }

    private static Map<String, PayloadReader> legacyServerReaders() {
        Map<String, PayloadReader> r = new LinkedHashMap<>();
        r.put(RegisterAck.TYPE, (p, e) -> new RegisterAck(p.bool("success"), p.optionalString("clientId")));
        r.put(io.github.demosim.frame.legacy.DiscoverResponse.TYPE,
                (p, e) -> new io.github.demosim.frame.legacy.DiscoverResponse(p.strings("peers")));
        r.put(io.github.demosim.frame.legacy.PublicKeyResponse.TYPE,
                (p, e) -> new io.github.demosim.frame.legacy.PublicKeyResponse(p.string("peerId"),
                        p.value("publicKey"), p.optionalStrings("features")));
        r.put(IncomingMessage.TYPE, (p, e) -> new IncomingMessage(p.value("message"), p.string("fromId"),
                p.lenientTimestamp("timestamp")));
        r.put(io.github.demosim.frame.legacy.MessageQueued.TYPE,
                (p, e) -> new io.github.demosim.frame.legacy.MessageQueued(p.string("targetId"), p.string("status"),
                        p.string("message")));
        r.put(PeerDisconnected.TYPE, (p, e) -> new PeerDisconnected(p.string("peerId")));
        r.put(ServerQuestion.TYPE, (p, e) -> new ServerQuestion(p.string("questionId"), p.value("question")));
        r.put(io.github.demosim.frame.legacy.ErrorFrame.TYPE,
                (p, e) -> new io.github.demosim.frame.legacy.ErrorFrame(p.string("errorType"),
                        p.optionalString("details"), p.optionalString("timestamp")));
        return r;
    }
}
