package io.github.demosim.reliability.support;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Ack;
import io.github.demosim.frame.l2ps.Discover;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.SignedObject;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The text of client frames of both protocols, for raw clients, signed as a real client signs them. */
public final class Wire {
    /** The network the servers of these tests host. */
    public static final String UID = "testnet_l2ps_001";
    /** Every extension a hardened server offers. */
    public static final List<String> ALL_FEATURES = List.of("ack", "message_status", "key_directory", "envelope");
    private static final DemosCrypto CRYPTO = DemosCrypto.load();

    private Wire() {
    }

    /** The hex Ed25519 signature of a proof string. */
    public static String sign(Identity id, String proofMessage) {
        return HexFormat.of().formatHex(id.signEd25519(proofMessage.getBytes(StandardCharsets.UTF_8)));
    }

    /** An L2PS {@code register} with a proof over {@code register:<key>:<timestamp>}. */
    public static String register(Identity id, String uid, long timestamp, List<String> features) {
        String key = id.ed25519PublicKeyHex();
        return Json.CODEC.encode(new Register(key, uid, sign(id, "register:" + key + ":" + timestamp), null, features,
                timestamp, null));
    }

    /** An L2PS {@code register} timed now, in the default network, asking for {@code features}. */
    public static String register(Identity id, List<String> features) {
        return register(id, UID, System.currentTimeMillis(), features);
    }

    /** An L2PS {@code send} with an opaque payload. */
    public static String send(String to, String ciphertext, String messageHash) {
        return Json.CODEC.encode(new Send(to, new Encrypted(ciphertext, "bm9uY2U=", null, Map.of()), messageHash,
                System.currentTimeMillis(), null));
    }

    /** An L2PS {@code history} signed by {@code id} over {@code history:<peerKey>:<timestamp>}. */
    public static String history(Identity id, String peerKey, long timestamp, int limit) {
        return Json.CODEC.encode(new History(peerKey, sign(id, "history:" + peerKey + ":" + timestamp), null, limit,
                timestamp, null));
    }

    /** An L2PS {@code discover} carrying a request id (a hardened server echoes it). */
    public static String discover(String requestId) {
        return Json.CODEC.encode(new Discover(System.currentTimeMillis(), requestId));
    }

    /** An L2PS {@code ack}. */
    public static String ack(String messageHash) {
        return Json.CODEC.encode(new Ack(messageHash, System.currentTimeMillis(), null));
    }

    /** A fresh unique message hash. */
    public static String newHash() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    /** The legacy registration proof of an identity: ML-DSA-65 over its own ML-KEM key. */
    public static SignedObject legacyProof(Identity id) {
        return CRYPTO.legacyRegistrationProof(id);
    }

    /** A legacy {@code register} of {@code clientId} with this key and proof. */
    public static String legacyRegister(String clientId, Bytes kemPublicKey, SignedObject proof) {
        return Json.CODEC.encode(new io.github.demosim.frame.legacy.Register(clientId, kemPublicKey, proof));
    }

    /** A legacy {@code register} with the identity's own key and proof. */
    public static String legacyRegister(String clientId, Identity id) {
        return legacyRegister(clientId, id.mlKemPublicKey(), legacyProof(id));
    }

    /** A legacy {@code message} with an opaque object. */
    public static String legacySend(String targetId, JsonValue message) {
        return Json.CODEC.encode(new SendMessage(targetId, message));
    }

    /** A legacy {@code discover}. */
    public static String legacyDiscover() {
        return Json.CODEC.encode(new io.github.demosim.frame.legacy.Discover());
    }
}
