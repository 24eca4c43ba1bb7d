package io.github.demosim.internal.wire;

import io.github.demosim.CodecException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.SignedObject;

/**
 * A request's members as a server received them, by the mapping's own member paths (those of decode errors:
 * {@code payload.to}, {@code payload.encrypted.ciphertext}). The server's reference mode must see what a client
 * sent before it is typed: the reference tests JavaScript truthiness first ({@code proof: 0} is "missing"), signs
 * {@code String(timestamp)} of whatever was sent, stores an {@code encrypted} object of any shape verbatim and
 * echoes a numeric {@code targetId} as a number; a record cannot hold these, so the server reads them here and
 * relays them with {@link FrameEncoder.Verbatim}. The member names stay in the mapping, as the records' own
 * readers in {@link FrameDecoder} spell them.
 *
 * <p>A path is read as JavaScript reads {@code frame.payload.to}: a member of a non-object is absent.
 */
public final class Received {
    /** The envelope's {@code type}. */
    public static final String TYPE = "type";
    /** The envelope's {@code payload}. */
    public static final String PAYLOAD = "payload";
    /** The L2PS envelope's {@code timestamp}, which proofs sign as {@code String(timestamp)}. */
    public static final String TIMESTAMP = "timestamp";
    /** The L2PS envelope's {@code requestId}. */
    public static final String REQUEST_ID = "requestId";

    /** L2PS {@code register.publicKey}; legacy {@code register.publicKey} (an array of bytes). */
    public static final String PUBLIC_KEY = "payload.publicKey";
    /** L2PS {@code register.l2psUid}. */
    public static final String L2PS_UID = "payload.l2psUid";
    /** L2PS {@code register.proof} and {@code history.proof}. */
    public static final String PROOF = "payload.proof";
    /** L2PS {@code register.kemPublicKey} (extension {@code key_directory}). */
    public static final String KEM_PUBLIC_KEY = "payload.kemPublicKey";
    /** {@code register.features}, both protocols (this project's extensions). */
    public static final String FEATURES = "payload.features";
    /** L2PS {@code send.to}. */
    public static final String TO = "payload.to";
    /** L2PS {@code send.encrypted}, stored and relayed as received. */
    public static final String ENCRYPTED = "payload.encrypted";
    /** L2PS {@code send.encrypted.ciphertext}. */
    public static final String CIPHERTEXT = "payload.encrypted.ciphertext";
    /** L2PS {@code send.encrypted.nonce}. */
    public static final String NONCE = "payload.encrypted.nonce";
    /** L2PS {@code send.messageHash} and {@code ack.messageHash}. */
    public static final String MESSAGE_HASH = "payload.messageHash";
    /** L2PS {@code history.peerKey}. */
    public static final String PEER_KEY = "payload.peerKey";
    /** L2PS {@code history.before}. */
    public static final String BEFORE = "payload.before";
    /** L2PS {@code history.limit}. */
    public static final String LIMIT = "payload.limit";
    /** {@code request_public_key.targetId}, both protocols; legacy {@code message.targetId}. */
    public static final String TARGET_ID = "payload.targetId";
    /** Legacy {@code register.clientId}. */
    public static final String CLIENT_ID = "payload.clientId";
    /** Legacy {@code register.verification}, the signed proof. */
    public static final String VERIFICATION = "payload.verification";
    /** Legacy {@code message.message}, relayed as received. */
    public static final String MESSAGE = "payload.message";

    private Received() {
    }

    /**
     * Reads a member as JavaScript does.
     *
     * @param frame the parsed frame
     * @param path one of this class's paths
     * @return the value as received (JSON {@code null} included), or {@code null} where JavaScript reads
     *     {@code undefined}
     */
    public static JsonValue at(JsonValue frame, String path) {
        JsonValue value = frame;
        int from = 0;
        while (value != null) {
            int dot = path.indexOf('.', from);
            String name = dot < 0 ? path.substring(from) : path.substring(from, dot);
            value = value.get(name).orElse(null);
            if (dot < 0) {
                return value;
            }
            from = dot + 1;
        }
        return null;
    }

    /**
     * Reads a member as a string, with no conversion.
     *
     * @param frame the parsed frame
     * @param path one of this class's paths
     * @return the string, or {@code null} if the member is absent or not a string
     */
    public static String string(JsonValue frame, String path) {
        return at(frame, path) instanceof JsonValue.JsonString s ? s.value() : null;
    }

    /**
     * Decodes the legacy {@code register.verification} proof with the mapping's strict rules.
     *
     * @param verification the member as received, or {@code null}
     * @return the proof, or {@code null} unless it is an object of the four string members
     */
    public static SignedObject signedObject(JsonValue verification) {
        if (!(verification instanceof JsonValue.JsonObject)) {
            return null;
        }
        try {
            return FrameDecoder.signedObject(verification);
        } catch (CodecException e) {
            return null;
        }
    }
}
