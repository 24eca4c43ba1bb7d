package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.Ed25519Key;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reference-mode reproductions of the node's observable bugs that l2ps.md §10 documents and hardened mode
 * fixes: they are what a client must survive on the real node.
 */
class L2psReferenceQuirksTests extends ServerTestBase {

    @Override
    protected ServerMode mode() {
        return ServerMode.REFERENCE;
    }

    @Test
    void b16_aJsonNullFrameIsNotAnswered() {
        WsClient c = l2ps();
        c.send("null");
        L2psConformanceTests.assertUnregisteredSync(c);
    }

    @Test
    void b3_registeringTwiceOnOneSocketClosesIt() {
        String uid = freshUid();
        L2psPeer watcher = registered(uid);
        L2psPeer a = registered(uid);
        watcher.ws.next("peer_joined");
        a.ws.send(a.registerFrame(uid, System.currentTimeMillis()));
        assertThat(a.ws.awaitClose()).isEqualTo(1005);
        assertThat(Wire.payload(watcher.ws.await("peer_left"))).isEqualTo(obj("publicKey", a.pk()));
    }

    @Test
    void b4_switchingKeysOnASocketLeavesAGhost() {
        String uid = freshUid();
        L2psPeer watcher = registered(uid);
        L2psPeer a = registered(uid);
        watcher.ws.next("peer_joined");
        Ed25519Key second = Ed25519Key.random();
        long ts = System.currentTimeMillis();
        a.ws.send(Wire.frame("register", obj("publicKey", second.publicKeyHex(), "l2psUid", uid, "proof",
                second.sign("register:" + second.publicKeyHex() + ":" + ts)), ts));
        a.ws.next("registered");
        assertThat(Wire.strings(watcher.discover(), "payload.peers"))
                .containsExactly(watcher.pk(), a.pk(), second.publicKeyHex());
        // The ghost still receives messages for the old key on this socket, recorded as delivered.
        assertThat(Wire.type(watcher.send(a.pk(), "Z2hvc3Q="))).isEqualTo("message_sent");
        assertThat(Wire.str(a.ws.await("message"), "payload.encrypted.ciphertext")).isEqualTo("Z2hvc3Q=");
    }

    @Test
    void b18_aTakeoverFromAnotherNetworkIsNotToldToTheOldNetwork() {
        String uid = freshUid();
        L2psPeer watcher = registered(uid);
        Ed25519Key key = Ed25519Key.random();
        L2psPeer first = peer(key);
        first.register(uid);
        watcher.ws.next("peer_joined");
        L2psPeer moved = peer(key);
        moved.register(freshUid());
        assertThat(first.ws.awaitClose()).isEqualTo(1005);
        // No peer_left ever; the old network's discover forgets the key only because the map entry moved.
        assertThat(Wire.strings(watcher.discover(), "payload.peers")).containsExactly(watcher.pk());
        assertThat(watcher.sync()).isEmpty();
    }

    @Test
    void b12_historyParametersAsPostgresReadsThem() {
        L2psPeer a = registered(freshUid());
        String peer = Ed25519Key.random().publicKeyHex();
        a.send(peer, "Y3Q=");
        L2psConformanceTests.assertError(a.history(peer, "before", "soon"), "INTERNAL_ERROR", "Internal server error");
        L2psConformanceTests.assertError(a.history(peer, "before", 1.5), "INTERNAL_ERROR", "Internal server error");
        L2psConformanceTests.assertError(a.history(peer, "limit", -1), "INTERNAL_ERROR", "Internal server error");
        // A numeric string is a valid bigint literal.
        JsonValue ok = a.history(peer, "before", " " + (System.currentTimeMillis() + 1000) + " ");
        assertThat(Wire.array(ok, "payload.messages")).hasSize(1);
        assertThat(Wire.array(a.history(peer, "limit", 100_000), "payload.messages")).hasSize(1); // no maximum
    }

    @Test
    void noExtensionsAndNoServerTimeOnMessages() {
        String uid = freshUid();
        L2psPeer a = peer();
        JsonValue reg = a.register(uid, "features", List.of("ack", "message_status", "key_directory"),
                "kemPublicKey", "AAAA");
        assertThat(Wire.payload(reg).get("features")).isEmpty();
        L2psPeer b = registered(uid);
        a.ws.await("peer_joined");
        b.send(a.pk(), "Y3Q=");
        JsonValue m = a.ws.await("message");
        assertThat(((JsonValue.JsonObject) Wire.payload(m)).members().keySet())
                .containsExactly("from", "encrypted", "messageHash", "offline");
        b.ws.send(Wire.frame("request_public_key", obj("targetId", a.pk()), 1));
        assertThat(((JsonValue.JsonObject) Wire.payload(b.ws.await("public_key_response"))).members().keySet())
                .containsExactly("targetId", "publicKey");
    }
}
