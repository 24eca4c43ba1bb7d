package io.github.demosim.server;

import static io.github.demosim.server.support.Wire.obj;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.support.L2psPeer;
import io.github.demosim.server.support.LegacyPeer;
import io.github.demosim.server.support.ServerTestBase;
import io.github.demosim.server.support.Wire;
import io.github.demosim.server.support.WsClient;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The server's part in signed envelopes (docs/envelopes.md §6, docs/server.md "Extensions"): a hardened server tells
 * peers who reads envelopes, through the L2PS key directory and the legacy key lookup; a reference server (and every
 * client that does not ask) sees no difference. The server never sees an envelope: it is the sealed plaintext.
 */
class EnvelopeFeatureTests {

    /** Registers legacy clients as this SDK does, with {@code features}, or as the TypeScript SDK does, without. */
    abstract static class Base extends ServerTestBase {
        LegacyPeer legacyClient(List<String> features) {
            Identity id = Identity.generate();
            String clientId = LegacyPeer.newId();
            JsonValue.JsonObject payload = obj("clientId", clientId, "publicKey",
                    LegacyPeer.byteArray(id.mlKemPublicKey().toByteArray()), "verification",
                    LegacyPeer.verification(DemosCrypto.load().legacyRegistrationProof(id)));
            if (features != null) {
                java.util.Map<String, JsonValue> m = new java.util.LinkedHashMap<>(payload.members());
                m.put("features", Wire.json(features));
                payload = new JsonValue.JsonObject(m);
            }
            LegacyPeer p = track(new LegacyPeer(WsClient.connect(server.legacyUri()), clientId));
            p.ws.send(Wire.legacy("register", payload));
            assertThat(Wire.type(p.ws.next())).isEqualTo("register");
            return p;
        }
    }

    @Nested
    class Hardened extends Base {
        @Override
        protected ServerMode mode() {
            return ServerMode.HARDENED;
        }

        @Test
        void theKeyDirectoryTellsWhichKeysReadEnvelopesAlsoWhileTheyAreOffline() {
            String uid = freshUid();
            String kem = kemKey();
            L2psPeer reader = peer();
            JsonValue registered = reader.register(uid, "kemPublicKey", kem, "features", List.of("envelope",
                    "key_directory"));
            assertThat(((JsonValue.JsonArray) Wire.at(registered, "payload.features")).elements())
                    .contains(JsonValue.of("envelope"));
            L2psPeer plain = peer();
            plain.register(uid, "kemPublicKey", kem);
            L2psPeer asker = peer();
            asker.register(uid, "features", List.of("key_directory"));
            asker.ws.send(Wire.frame("request_public_key", obj("targetId", reader.pk()), 1));
            assertThat(Wire.payload(asker.ws.await("public_key_response"))).isEqualTo(obj("targetId", reader.pk(),
                    "publicKey", reader.pk(), "kemPublicKey", kem, "features", List.of("envelope")));
            asker.ws.send(Wire.frame("request_public_key", obj("targetId", plain.pk()), 1));
            assertThat(Wire.payload(asker.ws.await("public_key_response"))).as("no features, no member")
                    .isEqualTo(obj("targetId", plain.pk(), "publicKey", plain.pk(), "kemPublicKey", kem));
            reader.close();
            asker.ws.await("peer_left");
            asker.ws.send(Wire.frame("request_public_key", obj("targetId", reader.pk()), 1));
            assertThat(Wire.payload(asker.ws.await("public_key_response"))).as("offline: still published")
                    .isEqualTo(obj("targetId", reader.pk(), "publicKey", null, "kemPublicKey", kem,
                            "features", List.of("envelope")));
        }

        @Test
        void aKeyThatRegistersAgainWithoutTheExtensionNoLongerAdvertisesIt() {
            String uid = freshUid();
            String kem = kemKey();
            L2psPeer reader = peer();
            reader.register(uid, "kemPublicKey", kem, "features", List.of("envelope"));
            reader.register(uid, "kemPublicKey", kem); // e.g. now a client without envelopes
            L2psPeer asker = peer();
            asker.register(uid, "features", List.of("key_directory"));
            asker.ws.send(Wire.frame("request_public_key", obj("targetId", reader.pk()), 1));
            assertThat(Wire.at(asker.ws.await("public_key_response"), "payload.features")).isNull();
        }

        @Test
        void legacyKeyLookupsTellWhichClientsReadEnvelopes() {
            LegacyPeer reader = legacyClient(List.of("envelope", "unknown"));
            LegacyPeer asker = legacyClient(List.of("envelope"));
            LegacyPeer sdk = legacyClient(null); // as the TypeScript SDK registers
            asker.ws.send(Wire.legacy("request_public_key", obj("targetId", reader.clientId)));
            JsonValue answer = asker.ws.next("public_key_response");
            assertThat(Wire.at(answer, "payload.features")).isEqualTo(Wire.json(List.of("envelope")));
            sdk.ws.send(Wire.legacy("request_public_key", obj("targetId", reader.clientId)));
            assertThat(((JsonValue.JsonObject) Wire.payload(sdk.ws.next("public_key_response"))).members().keySet())
                    .as("a client that announced nothing gets the reference's frame").containsExactly("peerId",
                            "publicKey");
            asker.ws.send(Wire.legacy("request_public_key", obj("targetId", sdk.clientId)));
            assertThat(Wire.at(asker.ws.next("public_key_response"), "payload.features")).isNull();
        }
    }

    @Nested
    class Reference extends Base {
        @Override
        protected ServerMode mode() {
            return ServerMode.REFERENCE;
        }

        @Test
        void theReferenceIgnoresTheFeaturesAndTellsNothing() {
            LegacyPeer reader = legacyClient(List.of("envelope"));
            LegacyPeer asker = legacyClient(List.of("envelope"));
            asker.ws.send(Wire.legacy("request_public_key", obj("targetId", reader.clientId)));
            assertThat(((JsonValue.JsonObject) Wire.payload(asker.ws.next("public_key_response"))).members().keySet())
                    .containsExactly("peerId", "publicKey");
        }
    }

    private static String kemKey() {
        return Base64.getEncoder().encodeToString(Identity.generate().mlKemPublicKey().toByteArray());
    }
}
