package io.github.demosim.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.RequestPublicKey;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.frame.legacy.SignedObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;

/**
 * A request's members as the server reads them before anything is typed: by the mapping's paths, as JavaScript
 * reads {@code frame.payload.encrypted.ciphertext} (a member of a non-object is {@code undefined}, a JSON
 * {@code null} stays {@code null}, a number stays a number).
 */
class ReceivedTests {

    private static JsonValue object(Object... nameValues) {
        Map<String, JsonValue> members = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            Object v = nameValues[i + 1];
            members.put((String) nameValues[i], v instanceof JsonValue j ? j : JsonValue.of((String) v));
        }
        return new JsonValue.JsonObject(members);
    }

    @Example
    void readsEnvelopeAndNestedPayloadMembersAsReceived() {
        JsonValue number = JsonValue.of(42);
        JsonValue frame = object("type", "send", "timestamp", number,
                "payload", object("to", number, "encrypted", object("ciphertext", "c", "nonce", JsonValue.nullValue())));

        assertThat(Received.string(frame, Received.TYPE)).isEqualTo("send");
        assertThat(Received.at(frame, Received.TIMESTAMP)).isEqualTo(number);
        assertThat(Received.at(frame, Received.TO)).isEqualTo(number); // not String(42): the server decides
        assertThat(Received.string(frame, Received.TO)).isNull();
        assertThat(Received.string(frame, Received.CIPHERTEXT)).isEqualTo("c");
        assertThat(Received.at(frame, Received.NONCE)).isEqualTo(JsonValue.nullValue());
        assertThat(Received.at(frame, Received.MESSAGE_HASH)).isNull(); // absent: undefined
    }

    @Example
    void aMemberOfANonObjectIsAbsent() {
        // The reference accepts an array payload (typeof [] === "object") and then reads undefined members.
        JsonValue arrayPayload = object("type", "send", "payload", new JsonValue.JsonArray(List.of(JsonValue.of("x"))));
        JsonValue stringEncrypted = object("type", "send", "payload", object("encrypted", "text"));

        assertThat(Received.at(arrayPayload, Received.TO)).isNull();
        assertThat(Received.at(stringEncrypted, Received.CIPHERTEXT)).isNull();
        assertThat(Received.at(JsonValue.nullValue(), Received.TYPE)).isNull();
    }

    @Example
    void theLegacyProofIsDecodedByTheRegisterReadersStrictRules() {
        JsonValue proof = object("algorithm", "ml-dsa", "serializedSignedData", "s", "serializedPublicKey", "k",
                "serializedMessage", "m", "extra", "ignored");
        assertThat(Received.signedObject(proof)).isEqualTo(new SignedObject("ml-dsa", "s", "k", "m"));

        assertThat(Received.signedObject(object("algorithm", "ml-dsa", "serializedSignedData", "s",
                "serializedPublicKey", "k"))).isNull(); // one missing
        assertThat(Received.signedObject(object("algorithm", JsonValue.nullValue(), "serializedSignedData", "s",
                "serializedPublicKey", "k", "serializedMessage", "m"))).isNull(); // null counts as absent
        assertThat(Received.signedObject(object("algorithm", JsonValue.of(1),
                "serializedSignedData", "s", "serializedPublicKey", "k", "serializedMessage", "m"))).isNull();
        assertThat(Received.signedObject(JsonValue.of("not an object"))).isNull();
        assertThat(Received.signedObject(null)).isNull();
    }

    /** The frame as the mapping writes it, as a tree. */
    private static JsonValue written(Frame frame) {
        JsonTrees.TreeSink tree = new JsonTrees.TreeSink();
        FrameEncoder.write(frame, tree);
        return tree.result();
    }

    /** Each path names a member the mapping itself writes, so the server's reads cannot drift from the records. */
    @Example
    void everyPathIsAMemberOfTheMappingsOwnFrames() {
        JsonValue register = written(new io.github.demosim.frame.l2ps.Register("ab".repeat(32), "net", "proof",
                "kem", List.of("ack"), 7L, "r1"));
        assertThat(Received.string(register, Received.TYPE)).isEqualTo("register");
        assertThat(Received.at(register, Received.PAYLOAD)).isInstanceOf(JsonValue.JsonObject.class);
        assertThat(Received.at(register, Received.TIMESTAMP)).isEqualTo(JsonValue.of(7));
        assertThat(Received.string(register, Received.REQUEST_ID)).isEqualTo("r1");
        assertThat(Received.string(register, Received.PUBLIC_KEY)).isEqualTo("ab".repeat(32));
        assertThat(Received.string(register, Received.L2PS_UID)).isEqualTo("net");
        assertThat(Received.string(register, Received.PROOF)).isEqualTo("proof");
        assertThat(Received.string(register, Received.KEM_PUBLIC_KEY)).isEqualTo("kem");
        assertThat(Received.at(register, Received.FEATURES))
                .isEqualTo(new JsonValue.JsonArray(List.of(JsonValue.of("ack"))));

        JsonValue send = written(new Send("bob", Encrypted.of("c", "n", null), "h", null, null));
        assertThat(Received.string(send, Received.TO)).isEqualTo("bob");
        assertThat(Received.at(send, Received.ENCRYPTED)).isInstanceOf(JsonValue.JsonObject.class);
        assertThat(Received.string(send, Received.CIPHERTEXT)).isEqualTo("c");
        assertThat(Received.string(send, Received.NONCE)).isEqualTo("n");
        assertThat(Received.string(send, Received.MESSAGE_HASH)).isEqualTo("h");

        JsonValue history = written(new History("peer", "proof", 5L, 20, null, null));
        assertThat(Received.string(history, Received.PEER_KEY)).isEqualTo("peer");
        assertThat(Received.at(history, Received.BEFORE)).isEqualTo(JsonValue.of(5));
        assertThat(Received.at(history, Received.LIMIT)).isEqualTo(JsonValue.of(20));

        assertThat(Received.string(written(new RequestPublicKey("alice", null, null)), Received.TARGET_ID))
                .isEqualTo("alice");

        SignedObject proof = new SignedObject("ml-dsa", "s", "k", "m");
        JsonValue legacy = written(new io.github.demosim.frame.legacy.Register("alice", Bytes.of(new byte[] {1, 2}),
                proof, List.of("envelope")));
        assertThat(Received.string(legacy, Received.CLIENT_ID)).isEqualTo("alice");
        assertThat(Received.at(legacy, Received.PUBLIC_KEY))
                .isEqualTo(new JsonValue.JsonArray(List.of(JsonValue.of(1), JsonValue.of(2))));
        assertThat(Received.signedObject(Received.at(legacy, Received.VERIFICATION))).isEqualTo(proof);
        assertThat(Received.at(legacy, Received.FEATURES))
                .isEqualTo(new JsonValue.JsonArray(List.of(JsonValue.of("envelope"))));

        JsonValue message = written(new SendMessage("bob", JsonValue.of("hi")));
        assertThat(Received.string(message, Received.TARGET_ID)).isEqualTo("bob");
        assertThat(Received.at(message, Received.MESSAGE)).isEqualTo(JsonValue.of("hi"));
    }
}
