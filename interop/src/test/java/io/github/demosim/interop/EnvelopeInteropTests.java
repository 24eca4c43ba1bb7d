package io.github.demosim.interop;

import static io.github.demosim.interop.NodeScript.op;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.MessageEnvelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signed envelopes (docs/envelopes.md) with the TypeScript side: a small implementation in Node written from the page
 * alone ({@code interop/lib/envelope.mjs}: {@code JSON.stringify} over sorted members, the SDK's {@code uc.sign} and
 * {@code ucrypto.verify}) reads and verifies what Java signs, Java reads and verifies what it signs, and it
 * reproduces the page's test vectors byte for byte. A TypeScript application reads the envelope with
 * {@code JSON.parse} as the SDK's {@code MessageEnvelope}. Fresh random identities and contents every run.
 */
@Timeout(300)
class EnvelopeInteropTests {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> CONTENTS = List.of("hello", "Grüße — \"quoted\" \\ tab\t new\nline 😀 \u0001",
            "", "a".repeat(2_000));

    private static NodeScript sdk;
    private static DemosCrypto java;

    @BeforeAll
    static void start() {
        sdk = NodeScript.start("crypto-oracle.mjs");
        java = DemosCrypto.load();
    }

    @AfterAll
    static void stop() {
        sdk.close();
    }

    @Test
    void whatJavaSignsReadsAndVerifiesInTypeScript() {
        for (MessageEnvelope.Profile profile : MessageEnvelope.Profile.values()) {
            for (String content : CONTENTS) {
                Identity sender = Identity.fromMasterSeed(random(128));
                Identity recipient = Identity.generate();
                MessageEnvelope signed = java.signEnvelope(sender, draft(profile, sender, recipient, content));
                JsonNode opened = sdk.call(op("openEnvelope").put("profile", profile.label())
                        .put("plaintext", signed.toJson()));
                String what = profile + " " + signed.toJson().substring(0, Math.min(120, signed.toJson().length()));
                assertThat(opened.path("canonical").asBoolean()).as(what).isTrue();
                assertThat(opened.path("valid").asBoolean()).as(what).isTrue();
                JsonNode e = opened.path("envelope"); // as a TypeScript application reads MessageEnvelope
                assertThat(e.path("id").asText()).isEqualTo(signed.id());
                assertThat(e.path("from").asText()).isEqualTo(signed.from());
                assertThat(e.path("to").asText()).isEqualTo(signed.to());
                assertThat(e.path("type").asText()).isEqualTo("text");
                assertThat(e.path("content").asText()).isEqualTo(content);
                assertThat(e.path("timestamp").asLong()).isEqualTo(signed.timestamp());
                assertThat(e.path("replyTo").asText()).isEqualTo(signed.replyTo().orElseThrow());
                // one changed member: the TypeScript side refuses it too
                MessageEnvelope altered = new MessageEnvelope(profile, signed.id(), signed.from(), signed.to(),
                        signed.type(), content + "!", signed.timestamp(), signed.replyTo(), signed.signingKey(),
                        signed.signature());
                assertThat(sdk.call(op("openEnvelope").put("profile", profile.label())
                        .put("plaintext", altered.toJson())).path("valid").asBoolean()).as(what).isFalse();
            }
        }
    }

    @Test
    void whatTypeScriptSignsReadsAndVerifiesInJava() {
        for (MessageEnvelope.Profile profile : MessageEnvelope.Profile.values()) {
            for (String content : CONTENTS) {
                byte[] seed = random(128);
                Identity sender = Identity.fromMasterSeed(seed);
                MessageEnvelope draft = draft(profile, sender, Identity.generate(), content);
                JsonNode sealed = sdk.call(op("sealEnvelope").<ObjectNode>set("identity", seedSpec(seed))
                        .put("profile", profile.label()).set("members", members(draft)));
                String plaintext = sealed.path("plaintext").asText();
                MessageEnvelope read = MessageEnvelope.parse(plaintext); // the canonical form, exactly
                assertThat(java.verifyEnvelopeSignature(read)).as(profile + " " + plaintext).isTrue();
                assertThat(read.content()).isEqualTo(content);
                assertThat(read.signerKey()).contains(profile == MessageEnvelope.Profile.L2PS
                        ? sender.ed25519PublicKey() : sender.mlDsaPublicKey());
                // both sign deterministically: Java's envelope of the same members is the same text
                assertThat(java.signEnvelope(sender, draft).toJson()).isEqualTo(plaintext);
            }
        }
    }

    @Test
    void theTypeScriptSideReproducesTheDocumentedVectors() throws Exception {
        Map<String, Map<String, String>> vectors = vectors();
        assertThat(vectors).hasSize(4);
        for (Map.Entry<String, Map<String, String>> v : vectors.entrySet()) {
            JsonNode in = NodeScript.JSON.readTree(v.getValue().get("input"));
            ObjectNode members = NodeScript.JSON.createObjectNode();
            for (String name : List.of("id", "from", "to", "type", "content", "replyTo")) {
                if (in.has(name)) {
                    members.put(name, in.path(name).asText());
                }
            }
            members.put("timestamp", in.path("timestamp").asLong());
            if (in.has("mediaHex")) {
                members.put("content", new MessageEnvelope.Media(in.path("mimeType").asText(),
                        Bytes.fromHex(in.path("mediaHex").asText())).toContent());
            }
            JsonNode sealed = sdk.call(op("sealEnvelope").<ObjectNode>set("identity", seedSpec(
                    HEX.parseHex(in.path("masterSeed").asText()))).put("profile", in.path("profile").asText())
                    .set("members", members));
            assertThat(sealed.path("plaintext").asText()).as(v.getKey()).isEqualTo(v.getValue().get("plaintext"));
        }
    }

    private static MessageEnvelope draft(MessageEnvelope.Profile profile, Identity from, Identity to, String content) {
        boolean l2ps = profile == MessageEnvelope.Profile.L2PS;
        return new MessageEnvelope(profile, UUID.randomUUID().toString(),
                l2ps ? from.ed25519PublicKeyHex() : "client-" + HEX.formatHex(random(4)),
                l2ps ? to.ed25519PublicKeyHex() : "ç-" + HEX.formatHex(random(4)), MessageEnvelope.Type.TEXT, content,
                System.currentTimeMillis(), Optional.of(UUID.randomUUID().toString()), Optional.empty(),
                Optional.empty());
    }

    private static ObjectNode members(MessageEnvelope e) {
        ObjectNode m = NodeScript.JSON.createObjectNode().put("id", e.id()).put("from", e.from()).put("to", e.to())
                .put("type", e.type().wireName()).put("content", e.content()).put("timestamp", e.timestamp());
        e.replyTo().ifPresent(r -> m.put("replyTo", r));
        return m;
    }

    private static ObjectNode seedSpec(byte[] seed) {
        return NodeScript.JSON.createObjectNode().put("seedHex", HEX.formatHex(seed));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** The vector blocks of docs/envelopes.md §8 (as it's EnvelopeVectorsTests reads them). */
    private static Map<String, Map<String, String>> vectors() throws Exception {
        Pattern block = Pattern.compile("<!-- vector ([a-z0-9-]+) (input|plaintext) -->\\s*\\n"
                + "(?:<details>[^\\n]*\\n\\s*)?```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
        Matcher m = block.matcher(Files.readString(Path.of("..", "docs", "envelopes.md")));
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        while (m.find()) {
            out.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2), m.group(3));
        }
        return out;
    }
}
