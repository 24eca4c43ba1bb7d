package io.github.demosim.server.support;

import static io.github.demosim.server.support.Wire.obj;

import io.github.demosim.frame.JsonValue;
import java.net.URI;
import java.util.List;
import java.util.UUID;

/** A test participant on the L2PS port: a key and a raw WebSocket, with frame builders. */
public final class L2psPeer implements AutoCloseable {
    public static final String UID = "testnet_l2ps_001";

    public final Ed25519Key key;
    public final WsClient ws;

    private L2psPeer(Ed25519Key key, WsClient ws) {
        this.key = key;
        this.ws = ws;
    }

    public static L2psPeer connect(URI uri, Ed25519Key key) {
        return new L2psPeer(key, WsClient.connect(uri));
    }

    public static L2psPeer connect(URI uri) {
        return connect(uri, Ed25519Key.random());
    }

    public String pk() {
        return key.publicKeyHex();
    }

    /** A register frame signed for {@code timestamp}. */
    public JsonValue.JsonObject registerFrame(String uid, long timestamp, Object... extraPayload) {
        Object[] base = {"publicKey", pk(), "l2psUid", uid, "proof",
                key.sign("register:" + pk() + ":" + timestamp)};
        Object[] all = new Object[base.length + extraPayload.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extraPayload, 0, all, base.length, extraPayload.length);
        return Wire.frame("register", obj(all), timestamp);
    }

    /** Registers in the default network now and returns the {@code registered} frame. */
    public JsonValue register() {
        return register(UID);
    }

    /** Registers now and returns the {@code registered} frame. */
    public JsonValue register(String uid, Object... extraPayload) {
        ws.send(registerFrame(uid, System.currentTimeMillis(), extraPayload));
        JsonValue reply = ws.awaitFrame(f -> List.of("registered", "error").contains(Wire.type(f)));
        if (!"registered".equals(Wire.type(reply))) {
            throw new AssertionError("registration failed: " + Wire.text(reply));
        }
        return reply;
    }

    /** A send frame with a random hash. */
    public static JsonValue.JsonObject sendFrame(String to, String ciphertext, String hash) {
        return Wire.frame("send", obj("to", to, "encrypted", obj("ciphertext", ciphertext, "nonce", "AAECAwQFBgcICQoL"),
                "messageHash", hash), System.currentTimeMillis());
    }

    /** Sends to {@code to} and returns the acknowledgement (message_sent, message_queued or error). */
    public JsonValue send(String to, String ciphertext, String hash) {
        ws.send(sendFrame(to, ciphertext, hash));
        return ws.awaitFrame(f -> List.of("message_sent", "message_queued", "error").contains(Wire.type(f)));
    }

    /** Sends with a fresh random hash; returns the acknowledgement. */
    public JsonValue send(String to, String ciphertext) {
        return send(to, ciphertext, newHash());
    }

    public static String newHash() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    /** A history frame signed for now. */
    public JsonValue.JsonObject historyFrame(String peerKey, Object... extraPayload) {
        long ts = System.currentTimeMillis();
        Object[] base = {"peerKey", peerKey, "proof", key.sign("history:" + peerKey + ":" + ts)};
        Object[] all = new Object[base.length + extraPayload.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extraPayload, 0, all, base.length, extraPayload.length);
        return Wire.frame("history", obj(all), ts);
    }

    /** Requests history and returns the reply (history_response or error). */
    public JsonValue history(String peerKey, Object... extraPayload) {
        ws.send(historyFrame(peerKey, extraPayload));
        return ws.awaitFrame(f -> List.of("history_response", "error").contains(Wire.type(f)));
    }

    /** Sends discover and returns the response. */
    public JsonValue discover() {
        ws.send(Wire.frame("discover", obj(), System.currentTimeMillis()));
        return ws.awaitFrame(f -> List.of("discover_response", "error").contains(Wire.type(f)));
    }

    /**
     * A round trip that proves every earlier frame of this connection was handled and answered: sends a
     * discover and returns everything that arrived before its response.
     */
    public List<JsonValue> sync() {
        ws.send(Wire.frame("discover", obj(), System.currentTimeMillis()));
        java.util.ArrayList<JsonValue> before = new java.util.ArrayList<>();
        while (true) {
            JsonValue f = ws.next();
            String type = Wire.type(f);
            if ("discover_response".equals(type)
                    || ("error".equals(type) && "Register before discovering peers".equals(Wire.str(f, "payload.message")))) {
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
