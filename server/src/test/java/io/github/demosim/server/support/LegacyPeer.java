package io.github.demosim.server.support;

import static io.github.demosim.server.support.Wire.obj;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.SignedObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * A test participant on the legacy port. Registers with the known-answer proof of legacy-and-crypto.md §B.11
 * (an ML-DSA-65 signature over the ML-KEM-768 key {@code mlkem_pk.hex}, made by the TypeScript SDK), which
 * binds no client id, so every test client may use it.
 */
public final class LegacyPeer implements AutoCloseable {
    public static final byte[] KAT_KEM_KEY = hex("/mlkem_pk.hex");
    public static final byte[] KAT_DSA_KEY = hex("/mldsa_pk.hex");
    public static final byte[] KAT_PROOF = hex("/proof_sig.hex");

    public final String clientId;
    public final WsClient ws;

    public LegacyPeer(WsClient ws, String clientId) {
        this.ws = ws;
        this.clientId = clientId;
    }

    public static String newId() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static byte[] hex(String resource) {
        try (InputStream in = LegacyPeer.class.getResourceAsStream(resource)) {
            return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON array of the bytes, as the SDK writes a Uint8Array. */
    public static JsonValue byteArray(byte[] bytes) {
        List<Object> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(b & 0xff);
        }
        return Wire.json(out);
    }

    /** The known-answer verification object. */
    public static JsonValue.JsonObject katVerification() {
        return verification(new SignedObject("ml-dsa", Bytes.of(KAT_PROOF).toBase64(), Bytes.of(KAT_DSA_KEY).toBase64(),
                Bytes.of(KAT_KEM_KEY).toBase64()));
    }

    public static JsonValue.JsonObject verification(SignedObject o) {
        return obj("algorithm", o.algorithm(), "serializedSignedData", o.serializedSignedData(),
                "serializedPublicKey", o.serializedPublicKey(), "serializedMessage", o.serializedMessage());
    }

    /** A register frame with the known-answer proof. */
    public static JsonValue.JsonObject katRegister(String clientId) {
        return Wire.legacy("register", obj("clientId", clientId, "publicKey", byteArray(KAT_KEM_KEY),
                "verification", katVerification()));
    }

    /** A register frame with a proof made by the SDK for a fresh identity. */
    public static JsonValue.JsonObject sdkRegister(String clientId) {
        Identity identity = Identity.generate();
        SignedObject proof = DemosCrypto.load().legacyRegistrationProof(identity);
        return Wire.legacy("register", obj("clientId", clientId, "publicKey",
                byteArray(identity.mlKemPublicKey().toByteArray()), "verification", verification(proof)));
    }

    /** Registers with the known-answer proof; returns the ack. */
    public JsonValue register() {
        ws.send(katRegister(clientId));
        return ws.next("register");
    }

    public void send(String targetId, JsonValue message) {
        ws.send(Wire.legacy("message", obj("targetId", targetId, "message", message)));
    }

    /** A round trip: every earlier frame of this connection has been answered once the reply arrives. */
    public List<JsonValue> sync() {
        ws.send(Wire.legacy("discover", obj()));
        List<JsonValue> before = new ArrayList<>();
        while (true) {
            JsonValue f = ws.next();
            if ("discover".equals(Wire.type(f))) {
                return before;
            }
            before.add(f);
        }
    }

    @Override
    public void close() {
        ws.close();
    }
}
