package io.github.demosim.reliability.support;

import io.github.demosim.Identity;
import io.github.demosim.frame.JsonValue;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An L2PS client written by hand on a {@link RawClient}: frames exactly as a test wants them, nothing automatic. */
public final class RawL2ps implements AutoCloseable {
    public final RawClient ws;
    public final Identity id;

    private RawL2ps(RawClient ws, Identity id) {
        this.ws = ws;
        this.id = id;
    }

    /** Connects, reading everything. */
    public static RawL2ps connect(URI uri, Identity id) {
        return new RawL2ps(RawClient.connect(uri), id);
    }

    /** Connects without reading (see {@link RawClient#connectPaused}). */
    public static RawL2ps connectPaused(URI uri, Identity id) {
        return new RawL2ps(RawClient.connectPaused(uri), id);
    }

    public String key() {
        return id.ed25519PublicKeyHex();
    }

    /** Registers in the default network and waits for {@code registered}. */
    public JsonValue register(List<String> features) {
        ws.send(Wire.register(id, features));
        JsonValue r = ws.next();
        if (!"registered".equals(Json.type(r))) {
            throw new AssertionError("expected registered, got " + Json.write(r));
        }
        return r;
    }

    /** Sends an opaque message and returns the acknowledgement (or error) frame. */
    public JsonValue send(String to, String ciphertext, String hash) {
        ws.send(Wire.send(to, ciphertext, hash));
        while (true) {
            JsonValue f = ws.next();
            String t = Json.type(f);
            if ("message_sent".equals(t) || "message_queued".equals(t) || "error".equals(t)) {
                return f;
            }
        }
    }

    /** The status of every stored message of the conversation with {@code peerKey} (up to 200), by hash. */
    public Map<String, String> statuses(String peerKey) {
        ws.send(Wire.history(id, peerKey, System.currentTimeMillis(), 200));
        JsonValue page = ws.next("history_response");
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonValue m : Json.array(page, "payload.messages")) {
            out.put(Json.str(m, "messageHash"), Json.str(m, "status"));
        }
        return out;
    }

    @Override
    public void close() {
        ws.close();
    }
}
