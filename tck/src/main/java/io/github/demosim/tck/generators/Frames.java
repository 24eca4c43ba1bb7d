package io.github.demosim.tck.generators;

import io.github.demosim.Bytes;
import io.github.demosim.L2psStatus;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Encrypted;
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
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.PeerDisconnected;
import io.github.demosim.frame.legacy.PeerResponse;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.ServerQuestion;
import io.github.demosim.frame.legacy.SignedObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of frames of both Demos messaging protocols, in both directions, and of their parts.
 *
 * <p>Every frame generator produces records that are valid for the wire: required fields are never
 * {@code null}, optional ones sometimes are. Field values are realistic most of the time (64-hex Ed25519 keys,
 * base64 AES-GCM ciphertexts, ML-KEM sizes, {@code req_<ms>_<hex>} request ids) and arbitrary Unicode text
 * some of the time, so that code under test sees quotes, backslashes, control characters, emoji and lone
 * surrogates in every string slot. Large realistic values (1184-byte ML-KEM keys, 3309-byte ML-DSA
 * signatures) are drawn from a seeded {@link Random} rather than element by element, which keeps generation
 * fast; they do not shrink.
 *
 * <p>Use them in properties with {@code @Provide} methods:
 * <pre>{@code
 * @Provide Arbitrary<L2psClientFrame> clientFrames() { return Frames.l2psClientFrames(); }
 * }</pre>
 * and {@link #familyOf(Frame)} to decode a generated frame with the right family.
 *
 * <p>Thread-safe: every method returns a new, immutable arbitrary.
 */
public final class Frames {
    private static final HexFormat HEX = HexFormat.of();
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** 2100-01-01T00:00:00Z in ms: generated "realistic" instants lie before it. */
    private static final long YEAR_2100 = 4_102_444_800_000L;

    private Frames() {
    }

    // ---------------------------------------------------------------- families

    /**
     * Returns the family to decode a frame with: {@code L2psClientFrame.class}, {@code L2psServerFrame.class},
     * {@code LegacyClientFrame.class} or {@code LegacyServerFrame.class}.
     *
     * @param frame a frame
     * @return the sealed interface of its protocol and direction
     */
    public static Class<? extends Frame> familyOf(Frame frame) {
        if (frame instanceof L2psClientFrame) {
            return L2psClientFrame.class;
        }
        if (frame instanceof L2psServerFrame) {
            return L2psServerFrame.class;
        }
        if (frame instanceof LegacyClientFrame) {
            return LegacyClientFrame.class;
        }
        if (frame instanceof LegacyServerFrame) {
            return LegacyServerFrame.class;
        }
        throw new IllegalArgumentException("not a frame of a known family: " + frame);
    }

    /**
     * Returns the four frame families.
     *
     * @return {@code L2psClientFrame.class}, {@code L2psServerFrame.class}, {@code LegacyClientFrame.class},
     *     {@code LegacyServerFrame.class}
     */
    public static List<Class<? extends Frame>> families() {
        return List.of(L2psClientFrame.class, L2psServerFrame.class, LegacyClientFrame.class,
                LegacyServerFrame.class);
    }

    /**
     * Generates one of the four frame families.
     *
     * @return the families
     */
    public static Arbitrary<Class<? extends Frame>> familyClasses() {
        return Arbitraries.of(families());
    }

    /**
     * Generates frames of every type of both protocols and both directions, each type equally likely.
     *
     * @return any frame
     */
    public static Arbitrary<Frame> frames() {
        return Arbitraries.oneOf(l2psClientFrames(), l2psServerFrames(), legacyClientFrames(),
                legacyServerFrames());
    }

    /**
     * Generates every frame type a client sends to an L2PS server ({@code l2ps.md} §3.1).
     *
     * @return L2PS client frames
     */
    public static Arbitrary<L2psClientFrame> l2psClientFrames() {
        return Arbitraries.oneOf(List.of(l2psRegister(), l2psSend(), l2psHistory(), l2psDiscover(),
                l2psRequestPublicKey(), l2psAck(), l2psChallenge()));
    }

    /**
     * Generates every frame type an L2PS server sends ({@code l2ps.md} §3.2), extensions included.
     *
     * @return L2PS server frames
     */
    public static Arbitrary<L2psServerFrame> l2psServerFrames() {
        return Arbitraries.oneOf(List.of(l2psRegistered(), l2psMessage(), l2psMessageSent(),
                l2psMessageQueued(), l2psHistoryResponse(), l2psDiscoverResponse(), l2psPublicKeyResponse(),
                l2psPeerJoined(), l2psPeerLeft(), l2psError(), l2psMessageStatus(), l2psChallengeResponse()));
    }

    /**
     * Generates every frame type a client sends to a legacy signaling server ({@code legacy-and-crypto.md}
     * §A.2).
     *
     * @return legacy client frames
     */
    public static Arbitrary<LegacyClientFrame> legacyClientFrames() {
        return Arbitraries.oneOf(legacyRegister(), legacyDiscover(), legacySendMessage(),
                legacyRequestPublicKey(), legacyDebugQuestion(), legacyPeerResponse());
    }

    /**
     * Generates every frame type a legacy signaling server sends ({@code legacy-and-crypto.md} §A.3).
     *
     * @return legacy server frames
     */
    public static Arbitrary<LegacyServerFrame> legacyServerFrames() {
        return Arbitraries.oneOf(List.of(legacyRegisterAck(), legacyDiscoverResponse(),
                legacyPublicKeyResponse(), legacyIncomingMessage(), legacyMessageQueued(),
                legacyPeerDisconnected(), legacyServerQuestion(), legacyError()));
    }

    // ---------------------------------------------------------------- L2PS client frames

    /**
     * Generates {@code register} frames, with and without the extension fields.
     *
     * @return register frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.Register> l2psRegister() {
        return Combinators.combine(keys(), l2psUids(), signatures(), kemPublicKeys().injectNull(0.6),
                features(), timestamps().injectNull(0.1), requestIds().injectNull(0.3))
                .as(io.github.demosim.frame.l2ps.Register::new);
    }

    /**
     * Generates {@code send} frames.
     *
     * @return send frames
     */
    public static Arbitrary<Send> l2psSend() {
        return Combinators.combine(keys(), encrypted(), hashes(), timestamps().injectNull(0.1),
                requestIds().injectNull(0.3)).as(Send::new);
    }

    /**
     * Generates {@code history} frames, with and without {@code before} and {@code limit}.
     *
     * @return history frames
     */
    public static Arbitrary<History> l2psHistory() {
        return Combinators.combine(keys(), signatures(), timestamps().injectNull(0.5),
                Arbitraries.integers().injectNull(0.4), timestamps().injectNull(0.1), requestIds().injectNull(0.3))
                .as(History::new);
    }

    /**
     * Generates {@code discover} frames.
     *
     * @return discover frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.Discover> l2psDiscover() {
        return Combinators.combine(timestamps().injectNull(0.2), requestIds().injectNull(0.3))
                .as(io.github.demosim.frame.l2ps.Discover::new);
    }

    /**
     * Generates {@code request_public_key} frames.
     *
     * @return request_public_key frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.RequestPublicKey> l2psRequestPublicKey() {
        return Combinators.combine(keys(), timestamps().injectNull(0.2), requestIds().injectNull(0.3))
                .as(io.github.demosim.frame.l2ps.RequestPublicKey::new);
    }

    /**
     * Generates {@code ack} frames (extension).
     *
     * @return ack frames
     */
    public static Arbitrary<Ack> l2psAck() {
        return Combinators.combine(hashes(), timestamps().injectNull(0.2), requestIds().injectNull(0.3))
                .as(Ack::new);
    }

    /**
     * Generates {@code challenge} frames (extension {@code server_challenge}).
     *
     * @return challenge frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.Challenge> l2psChallenge() {
        return Combinators.combine(timestamps().injectNull(0.2), requestIds().injectNull(0.3))
                .as(io.github.demosim.frame.l2ps.Challenge::new);
    }

    // ---------------------------------------------------------------- L2PS server frames

    /**
     * Generates {@code registered} frames, with and without the {@code features} extension.
     *
     * @return registered frames
     */
    public static Arbitrary<Registered> l2psRegistered() {
        return Combinators.combine(Arbitraries.of(true, false), keys(), l2psUids(), keys().list().ofMaxSize(5),
                features(), timestamps().injectNull(0.1), requestIds().injectNull(0.5)).as(Registered::new);
    }

    /**
     * Generates {@code message} frames, live and offline, with and without {@code sentAt}.
     *
     * @return message frames
     */
    public static Arbitrary<Message> l2psMessage() {
        return Combinators.combine(keys(), encrypted(), hashes(), Arbitraries.of(true, false),
                timestamps().injectNull(0.6), timestamps().injectNull(0.1), requestIds().injectNull(0.8))
                .as(Message::new);
    }

    /**
     * Generates {@code message_sent} frames.
     *
     * @return message_sent frames
     */
    public static Arbitrary<MessageSent> l2psMessageSent() {
        return Combinators.combine(hashes(), oneOrText("submitted", "failed"), timestamps().injectNull(0.1),
                requestIds().injectNull(0.5)).as(MessageSent::new);
    }

    /**
     * Generates {@code message_queued} frames.
     *
     * @return message_queued frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.MessageQueued> l2psMessageQueued() {
        return Combinators.combine(hashes(), oneOrText("queued"), timestamps().injectNull(0.1),
                requestIds().injectNull(0.5)).as(io.github.demosim.frame.l2ps.MessageQueued::new);
    }

    /**
     * Generates {@code history_response} frames of up to four stored messages.
     *
     * @return history_response frames
     */
    public static Arbitrary<HistoryResponse> l2psHistoryResponse() {
        return Combinators.combine(storedMessages().list().ofMaxSize(4), Arbitraries.of(true, false),
                timestamps().injectNull(0.1), requestIds().injectNull(0.5)).as(HistoryResponse::new);
    }

    /**
     * Generates {@code discover_response} frames.
     *
     * @return discover_response frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.DiscoverResponse> l2psDiscoverResponse() {
        return Combinators.combine(keys().list().ofMaxSize(6), timestamps().injectNull(0.1),
                requestIds().injectNull(0.5)).as(io.github.demosim.frame.l2ps.DiscoverResponse::new);
    }

    /**
     * Generates {@code public_key_response} frames: online ({@code publicKey} = {@code targetId}), offline
     * ({@code null}), and with the key-directory extension.
     *
     * @return public_key_response frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.PublicKeyResponse> l2psPublicKeyResponse() {
        return Combinators.combine(keys(), Arbitraries.integers().between(0, 2), kemPublicKeys().injectNull(0.6),
                features(), timestamps().injectNull(0.1), requestIds().injectNull(0.5))
                .as((target, online, kem, features, ts, id) -> new io.github.demosim.frame.l2ps.PublicKeyResponse(
                        target, online == 0 ? null : online == 1 ? target : "other-" + target, kem,
                        kem == null ? List.of() : features, ts, id));
    }

    /**
     * Generates {@code peer_joined} frames.
     *
     * @return peer_joined frames
     */
    public static Arbitrary<PeerJoined> l2psPeerJoined() {
        return Combinators.combine(keys(), timestamps().injectNull(0.1), requestIds().injectNull(0.8))
                .as(PeerJoined::new);
    }

    /**
     * Generates {@code peer_left} frames.
     *
     * @return peer_left frames
     */
    public static Arbitrary<PeerLeft> l2psPeerLeft() {
        return Combinators.combine(keys(), timestamps().injectNull(0.1), requestIds().injectNull(0.8))
                .as(PeerLeft::new);
    }

    /**
     * Generates {@code error} frames, with the reference's codes and texts and with arbitrary ones, sometimes
     * without {@code message} ({@code l2ps.md} §4.4).
     *
     * @return error frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.ErrorFrame> l2psError() {
        Arbitrary<String> codes = oneOrText("INVALID_MESSAGE", "REGISTRATION_REQUIRED", "INVALID_PROOF",
                "L2PS_NOT_FOUND", "L2PS_SUBMIT_FAILED", "INTERNAL_ERROR", "RATE_LIMITED");
        Arbitrary<String> texts = oneOrText("Invalid JSON", "Missing or invalid type/payload", "Unknown type: ack",
                "Register before sending", "Duplicate message", "Signature verification failed").injectNull(0.15);
        return Combinators.combine(codes, texts, timestamps().injectNull(0.1), requestIds().injectNull(0.5))
                .as(io.github.demosim.frame.l2ps.ErrorFrame::new);
    }

    /**
     * Generates {@code message_status} frames (extension).
     *
     * @return message_status frames
     */
    public static Arbitrary<MessageStatus> l2psMessageStatus() {
        return Combinators.combine(hashes(), oneOrText("l2ps_pending", "l2ps_batched", "l2ps_confirmed"),
                hashes().injectNull(0.4), timestamps().injectNull(0.1), requestIds().injectNull(0.8))
                .as(MessageStatus::new);
    }

    /**
     * Generates {@code challenge_response} frames (extension {@code server_challenge}).
     *
     * @return challenge_response frames
     */
    public static Arbitrary<io.github.demosim.frame.l2ps.ChallengeResponse> l2psChallengeResponse() {
        return Combinators.combine(hashes(), timestamps().injectNull(0.1), requestIds().injectNull(0.3))
                .as(io.github.demosim.frame.l2ps.ChallengeResponse::new);
    }

    // ---------------------------------------------------------------- legacy client frames

    /**
     * Generates legacy {@code register} frames: mostly a full 1184-byte ML-KEM key with an ML-DSA-65 proof of
     * realistic sizes, sometimes short keys or no {@code verification} (the dead SDK variant).
     *
     * @return legacy register frames
     */
    public static Arbitrary<io.github.demosim.frame.legacy.Register> legacyRegister() {
        Arbitrary<Bytes> keys = Arbitraries.frequencyOf(
                Tuple.of(3, randomBytes(1184, 1184)),
                Tuple.of(2, randomBytes(0, 40)));
        return Combinators.combine(clientIds(), keys, signedObjects().injectNull(0.2), features())
                .as(io.github.demosim.frame.legacy.Register::new);
    }

    /**
     * Generates legacy {@code discover} frames.
     *
     * @return legacy discover frames
     */
    public static Arbitrary<io.github.demosim.frame.legacy.Discover> legacyDiscover() {
        return Arbitraries.just(new io.github.demosim.frame.legacy.Discover());
    }

    /**
     * Generates legacy {@code message} frames (client to server): mostly a SerializedEncryptedObject,
     * sometimes any JSON value (the server relays whatever it gets).
     *
     * @return legacy send frames
     */
    public static Arbitrary<SendMessage> legacySendMessage() {
        return Combinators.combine(clientIds(), legacyMessages()).as(SendMessage::new);
    }

    /**
     * Generates legacy {@code request_public_key} frames.
     *
     * @return legacy request_public_key frames
     */
    public static Arbitrary<io.github.demosim.frame.legacy.RequestPublicKey> legacyRequestPublicKey() {
        return clientIds().map(io.github.demosim.frame.legacy.RequestPublicKey::new);
    }

    /**
     * Generates legacy {@code debug_question} frames: {@code {}} (what the SDK sends) or any JSON value.
     *
     * @return debug_question frames
     */
    public static Arbitrary<DebugQuestion> legacyDebugQuestion() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(JsonValue.JsonObject.empty())),
                Tuple.of(2, jsonValues())).map(DebugQuestion::new);
    }

    /**
     * Generates legacy {@code peer_response} frames.
     *
     * @return peer_response frames
     */
    public static Arbitrary<PeerResponse> legacyPeerResponse() {
        return Combinators.combine(uuids(), jsonValues()).as(PeerResponse::new);
    }

    // ---------------------------------------------------------------- legacy server frames

    /**
     * Generates legacy {@code register} acknowledgements.
     *
     * @return register acks
     */
    public static Arbitrary<RegisterAck> legacyRegisterAck() {
        return Combinators.combine(Arbitraries.of(true, false), clientIds().injectNull(0.1)).as(RegisterAck::new);
    }

    /**
     * Generates legacy {@code discover} replies.
     *
     * @return discover replies
     */
    public static Arbitrary<io.github.demosim.frame.legacy.DiscoverResponse> legacyDiscoverResponse() {
        return clientIds().list().ofMaxSize(6).map(io.github.demosim.frame.legacy.DiscoverResponse::new);
    }

    /**
     * Generates legacy {@code public_key_response} frames: mostly the registered key as a JSON array of 1184
     * byte values, sometimes any JSON value (the server echoes whatever was registered).
     *
     * @return legacy public_key_response frames
     */
    public static Arbitrary<io.github.demosim.frame.legacy.PublicKeyResponse> legacyPublicKeyResponse() {
        Arbitrary<JsonValue> keys = Arbitraries.frequencyOf(
                Tuple.of(3, randomBytes(1184, 1184).map(Frames::byteArray)),
                Tuple.of(1, jsonValues()));
        return Combinators.combine(clientIds(), keys, features())
                .as(io.github.demosim.frame.legacy.PublicKeyResponse::new);
    }

    /**
     * Generates legacy {@code message} frames (server to client), live (no timestamp) and offline replays.
     *
     * @return incoming messages
     */
    public static Arbitrary<IncomingMessage> legacyIncomingMessage() {
        return Combinators.combine(legacyMessages(), clientIds(), timestamps().injectNull(0.5))
                .as(IncomingMessage::new);
    }

    /**
     * Generates legacy {@code message_queued} frames.
     *
     * @return legacy message_queued frames
     */
    public static Arbitrary<io.github.demosim.frame.legacy.MessageQueued> legacyMessageQueued() {
        return Combinators.combine(clientIds(), oneOrText("offline"), oneOrText("Message stored for offline delivery"))
                .as(io.github.demosim.frame.legacy.MessageQueued::new);
    }

    /**
     * Generates legacy {@code peer_disconnected} frames.
     *
     * @return peer_disconnected frames
     */
    public static Arbitrary<PeerDisconnected> legacyPeerDisconnected() {
        return clientIds().map(PeerDisconnected::new);
    }

    /**
     * Generates {@code server_question} frames: the reference's question or any JSON value.
     *
     * @return server_question frames
     */
    public static Arbitrary<ServerQuestion> legacyServerQuestion() {
        JsonValue reference = new JsonValue.JsonObject(Map.of("text",
                JsonValue.of("This is a debug question. What is your favorite programming language?")));
        return Combinators.combine(uuids(),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(reference)), Tuple.of(1, jsonValues())))
                .as(ServerQuestion::new);
    }

    /**
     * Generates legacy {@code error} frames with the reference's error types and ISO-8601 timestamps, and
     * sometimes without {@code details} or {@code timestamp}.
     *
     * @return legacy error frames
     */
    public static Arbitrary<io.github.demosim.frame.legacy.ErrorFrame> legacyError() {
        Arbitrary<String> types = oneOrText("INVALID_MESSAGE", "CLIENT_ID_TAKEN", "PEER_NOT_FOUND",
                "INVALID_PUBLIC_KEY", "REGISTRATION_REQUIRED", "INVALID_PROOF", "INTERNAL_ERROR");
        Arbitrary<String> details = oneOrText("Invalid message format", "Target peer bob not found",
                "Unknown message type: peer_response").injectNull(0.1);
        return Combinators.combine(types, details, isoTimestamps().injectNull(0.1))
                .as(io.github.demosim.frame.legacy.ErrorFrame::new);
    }

    // ---------------------------------------------------------------- frame parts

    /**
     * Generates {@code encrypted} objects: base64 ciphertext and 12-byte nonce, sometimes an ML-KEM ephemeral
     * key in hex, sometimes unknown extra members (which servers must relay).
     *
     * @return encrypted objects
     */
    public static Arbitrary<Encrypted> encrypted() {
        Arbitrary<String> extraNames = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("v", "alg", "aad", "meta", "version")),
                Tuple.of(1, unicodeText()))
                .filter(n -> !n.equals("ciphertext") && !n.equals("nonce") && !n.equals("ephemeralKey"));
        Arbitrary<Map<String, JsonValue>> extras = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(Map.of())),
                Tuple.of(1, Arbitraries.maps(extraNames, jsonValues()).ofMaxSize(3)));
        return Combinators.combine(textOr(ciphertexts()), textOr(nonces()), textOr(ephemeralKeys()).injectNull(0.5),
                extras).as(Encrypted::new);
    }

    /**
     * Generates history entries with the nine fields of {@code l2ps.md} §3.2.
     *
     * @return stored messages
     */
    public static Arbitrary<StoredMessage> storedMessages() {
        // every status, UNKNOWN included (a status this SDK does not know reads as UNKNOWN and writes as "unknown")
        Arbitrary<L2psStatus> statuses = Arbitraries.of(L2psStatus.class);
        return Combinators.combine(uuids(), keys(), keys(), hashes(), encrypted(), l2psUids(),
                hashes().injectNull(0.4), Arbitraries.longs().between(0, YEAR_2100))
                .flatAs((id, from, to, hash, enc, uid, tx, ts) -> statuses.map(
                        status -> new StoredMessage(id, from, to, hash, enc, uid, tx, ts, status)));
    }

    /**
     * Generates SerializedSignedObjects: ML-DSA-65 sizes (3309-byte signature, 1952-byte key, 1184-byte
     * message) most of the time, short or arbitrary values otherwise.
     *
     * @return signed objects
     */
    public static Arbitrary<SignedObject> signedObjects() {
        Arbitrary<SignedObject> realistic = Combinators.combine(base64(3309, 3309), base64(1952, 1952),
                base64(1184, 1184)).as((sig, pk, msg) -> new SignedObject("ml-dsa", sig, pk, msg));
        Arbitrary<SignedObject> small = Combinators.combine(oneOrText("ml-dsa", "ed25519", "falcon"),
                textOr(base64(0, 64)), textOr(base64(0, 64)), textOr(base64(0, 64))).as(SignedObject::new);
        return Arbitraries.frequencyOf(Tuple.of(1, realistic), Tuple.of(2, small));
    }

    /**
     * Generates the content of a legacy {@code message}: an ml-kem-aes SerializedEncryptedObject
     * ({@code legacy-and-crypto.md} §B.6) most of the time, any JSON value otherwise.
     *
     * @return legacy message values
     */
    public static Arbitrary<JsonValue> legacyMessages() {
        Arbitrary<JsonValue> encryptedObjects = Combinators.combine(base64(1088, 1088), base64(28, 200))
                .as((ct, data) -> new EncryptedObject("ml-kem-aes", ct, data).toJson());
        return Arbitraries.frequencyOf(Tuple.of(3, encryptedObjects), Tuple.of(1, jsonValues()));
    }

    // ---------------------------------------------------------------- JSON values

    /**
     * Generates JSON values up to four levels deep: objects (member order kept, names any text), arrays,
     * strings (any UTF-16 text, lone surrogates and control characters included), numbers (integers of any
     * size, decimals with trailing zeros, exponents), booleans and {@code null}.
     *
     * @return JSON values
     */
    public static Arbitrary<JsonValue> jsonValues() {
        return Arbitraries.recursive(Frames::jsonLeaves, Frames::jsonContainers, 0, 3);
    }

    /**
     * Generates JSON objects of up to five members whose values are {@link #jsonValues()}.
     *
     * @return JSON objects
     */
    public static Arbitrary<JsonValue.JsonObject> jsonObjects() {
        return Arbitraries.maps(anyText(), jsonValues()).ofMaxSize(5).map(JsonValue.JsonObject::new);
    }

    /**
     * Generates JSON numbers: longs, big integers, and decimals with scales from -20 to 20 (so also
     * {@code 1E+5}, {@code 0.00120}, {@code -0}).
     *
     * @return number values
     */
    public static Arbitrary<JsonValue.JsonNumber> jsonNumbers() {
        Arbitrary<BigDecimal> longs = Arbitraries.longs().map(BigDecimal::valueOf);
        Arbitrary<BigDecimal> decimals = Combinators.combine(
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(), BigInteger.TEN.pow(40)),
                Arbitraries.integers().between(-20, 20)).as(BigDecimal::new);
        return Arbitraries.oneOf(longs, decimals).map(JsonValue.JsonNumber::new);
    }

    private static Arbitrary<JsonValue> jsonLeaves() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, anyText().map(JsonValue::of)),
                Tuple.of(3, jsonNumbers()),
                Tuple.of(1, Arbitraries.of(JsonValue.of(true), JsonValue.of(false))),
                Tuple.of(1, Arbitraries.just(JsonValue.nullValue())));
    }

    private static Arbitrary<JsonValue> jsonContainers(Arbitrary<JsonValue> inner) {
        Arbitrary<JsonValue> arrays = inner.list().ofMaxSize(4).map(JsonValue.JsonArray::new);
        Arbitrary<JsonValue> objects = Arbitraries.maps(anyText(), inner).ofMaxSize(4).map(JsonValue.JsonObject::new);
        return Arbitraries.oneOf(arrays, objects, inner);
    }

    // ---------------------------------------------------------------- strings

    /**
     * Generates Ed25519 public keys as the L2PS protocol writes them: 64 lowercase hex characters.
     *
     * @return hex keys
     */
    public static Arbitrary<String> hexKeys() {
        return hex(32);
    }

    /**
     * Generates Ed25519 signatures as hex: 128 lowercase hex characters.
     *
     * @return hex signatures
     */
    public static Arbitrary<String> hexSignatures() {
        return hex(64);
    }

    /**
     * Generates message hashes: SHA-256 as 64 lowercase hex characters.
     *
     * @return hashes
     */
    public static Arbitrary<String> messageHashes() {
        return hex(32);
    }

    /**
     * Generates lowercase hex of {@code bytes} random bytes.
     *
     * @param bytes the number of bytes
     * @return hex text of {@code 2 * bytes} characters
     */
    public static Arbitrary<String> hex(int bytes) {
        return randomBytes(bytes, bytes).map(Bytes::toHex);
    }

    /**
     * Generates standard padded base64 of random bytes.
     *
     * @param minBytes the fewest bytes
     * @param maxBytes the most bytes
     * @return base64 text
     */
    public static Arbitrary<String> base64(int minBytes, int maxBytes) {
        return randomBytes(minBytes, maxBytes).map(Bytes::toBase64);
    }

    /**
     * Generates random byte strings whose length is in {@code [minBytes, maxBytes]}; the length shrinks, the
     * content is drawn from a seeded {@link Random}.
     *
     * @param minBytes the fewest bytes
     * @param maxBytes the most bytes
     * @return bytes
     */
    public static Arbitrary<Bytes> randomBytes(int minBytes, int maxBytes) {
        return Combinators.combine(Arbitraries.integers().between(minBytes, maxBytes),
                Arbitraries.randomValue(Random::nextLong)).as((length, seed) -> {
                    byte[] b = new byte[length];
                    new Random(seed).nextBytes(b);
                    return Bytes.of(b);
                });
    }

    /**
     * Generates AES-256-GCM ciphertexts as the reference writes them: base64 of body‖16-byte tag.
     *
     * @return base64 ciphertexts
     */
    public static Arbitrary<String> ciphertexts() {
        return base64(16, 600);
    }

    /**
     * Generates AES-GCM nonces: base64 of 12 bytes.
     *
     * @return base64 nonces
     */
    public static Arbitrary<String> nonces() {
        return base64(12, 12);
    }

    /**
     * Generates ML-KEM-768 ciphertexts as the {@code ephemeralKey} of an {@code encrypted} object: hex of 1088
     * bytes.
     *
     * @return hex ephemeral keys
     */
    public static Arbitrary<String> ephemeralKeys() {
        return hex(1088);
    }

    /**
     * Generates ML-KEM-768 public keys as the key-directory extension writes them: base64 of 1184 bytes.
     *
     * @return base64 KEM public keys
     */
    public static Arbitrary<String> kemPublicKeys() {
        return base64(1184, 1184);
    }

    /**
     * Generates request ids as the TypeScript SDK makes them: {@code req_<ms>_<10 hex>}.
     *
     * @return request ids
     */
    public static Arbitrary<String> requestIds() {
        Arbitrary<String> sdk = Combinators.combine(Arbitraries.longs().between(0, YEAR_2100), hex(5))
                .as((ms, h) -> "req_" + ms + "_" + h);
        return Arbitraries.frequencyOf(Tuple.of(4, sdk), Tuple.of(1, anyText()));
    }

    /**
     * Generates timestamps in ms since the epoch: mostly between 1970 and 2100, plus the extremes of
     * {@code long}.
     *
     * @return timestamps
     */
    public static Arbitrary<Long> timestamps() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(0, YEAR_2100)),
                Tuple.of(1, Arbitraries.of(0L, 1_709_312_400_000L, -1L, Long.MAX_VALUE, Long.MIN_VALUE)),
                Tuple.of(1, Arbitraries.longs()));
    }

    /**
     * Generates ISO-8601 UTC timestamps with milliseconds, as {@code Date.toISOString()} writes them.
     *
     * @return ISO timestamps
     */
    public static Arbitrary<String> isoTimestamps() {
        return Arbitraries.longs().between(0, YEAR_2100).map(ms -> ISO_MILLIS.format(Instant.ofEpochMilli(ms)));
    }

    /**
     * Generates L2PS network uids: {@code testnet_l2ps_001}-like names, sometimes arbitrary text.
     *
     * @return network uids
     */
    public static Arbitrary<String> l2psUids() {
        Arbitrary<String> names = Combinators.combine(Arbitraries.of("testnet", "mainnet", "devnet", "local"),
                Arbitraries.integers().between(0, 999)).as((n, i) -> n + "_l2ps_" + String.format("%03d", i));
        return textOr(names);
    }

    /**
     * Generates UUID v4 text, sometimes arbitrary text.
     *
     * @return ids
     */
    public static Arbitrary<String> uuids() {
        return textOr(Arbitraries.randomValue(r -> new UUID(r.nextLong(), r.nextLong()).toString()));
    }

    /**
     * Generates legacy client ids: short names ({@code alice}), sometimes arbitrary text.
     *
     * @return client ids
     */
    public static Arbitrary<String> clientIds() {
        return textOr(Arbitraries.strings().alpha().numeric().withChars('-', '_', '.').ofMinLength(1).ofMaxLength(16));
    }

    /**
     * Generates human text in many scripts: ASCII words, Latin, Greek, Cyrillic, CJK, emoji (surrogate
     * pairs), and JSON's special characters (quote, backslash, control characters, U+2028).
     *
     * @return well-formed Unicode text
     */
    public static Arbitrary<String> unicodeText() {
        Arbitrary<String> pieces = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.strings().alpha().numeric().withChars(' ', '-', '_', '.').ofMaxLength(10)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u00a0', '\u04ff').ofMaxLength(6)),
                Tuple.of(1, Arbitraries.strings().withCharRange('\u4e00', '\u9fff').ofMaxLength(4)),
                Tuple.of(2, Arbitraries.integers().between(0x1F300, 0x1FAFF).map(Character::toString)),
                Tuple.of(2, Arbitraries.of("\"", "\\", "\n", "\r", "\t", "\b", "\f", "/", "</script>",
                        String.valueOf((char) 0), String.valueOf((char) 0x1f), String.valueOf((char) 0x7f),
                        String.valueOf((char) 0x2028), String.valueOf((char) 0xfeff), "\\u0041")));
        return pieces.list().ofMaxSize(6).map(l -> String.join("", l));
    }

    /**
     * Generates any UTF-16 text: {@link #unicodeText()}, any {@code char} sequences, and lone surrogates,
     * which JSON strings in Java can hold.
     *
     * @return any text
     */
    public static Arbitrary<String> anyText() {
        Arbitrary<String> loneSurrogates = Combinators.combine(Arbitraries.strings().alpha().ofMaxLength(3),
                Arbitraries.chars().range('\ud800', '\udfff')).as((s, c) -> s + c);
        return Arbitraries.frequencyOf(
                Tuple.of(6, unicodeText()),
                Tuple.of(2, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(1, loneSurrogates));
    }

    // ---------------------------------------------------------------- helpers

    private static Arbitrary<String> keys() {
        return textOr(hexKeys());
    }

    private static Arbitrary<String> hashes() {
        return textOr(messageHashes());
    }

    private static Arbitrary<String> signatures() {
        return textOr(hexSignatures());
    }

    private static Arbitrary<List<String>> features() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.<String>of())),
                Tuple.of(2, Arbitraries.of("ack", "message_status", "key_directory", "envelope").list()
                        .uniqueElements().ofMaxSize(4)),
                Tuple.of(1, anyText().list().ofMaxSize(3)));
    }

    /** Realistic values nine times in ten, arbitrary text otherwise. */
    private static Arbitrary<String> textOr(Arbitrary<String> realistic) {
        return Arbitraries.frequencyOf(Tuple.of(9, realistic), Tuple.of(1, anyText()));
    }

    /** One of the reference's values most of the time, arbitrary text otherwise. */
    private static Arbitrary<String> oneOrText(String... values) {
        return textOr(Arbitraries.of(values));
    }

    private static JsonValue byteArray(Bytes bytes) {
        List<JsonValue> elements = new ArrayList<>(bytes.length());
        for (int i = 0; i < bytes.length(); i++) {
            elements.add(JsonValue.of(bytes.get(i) & 0xff));
        }
        return new JsonValue.JsonArray(elements);
    }
}
