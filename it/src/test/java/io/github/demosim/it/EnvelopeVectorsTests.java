package io.github.demosim.it;

import static io.github.demosim.it.TestIdentities.CRYPTO;
import static io.github.demosim.it.TestIdentities.DEMOS;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.CodecProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of {@code docs/envelopes.md} §8, reproduced from their inputs: each vector's envelope, built from
 * the identity of its master seed and signed, gives exactly the documented plaintext, signing input and signature,
 * and the documented plaintext reads back and verifies. The Ed25519 signatures are also made with the JDK's own
 * Ed25519 from the documented private seed, so they do not rest on this SDK's crypto provider alone.
 *
 * <p>To print the vector blocks (after an intended change of the format, which also needs a new version):
 * {@code mvn -B verify -pl it -am -Dtest=EnvelopeVectorsTests -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddemos.im.printEnvelopeVectors=true}.
 */
class EnvelopeVectorsTests {
    private static final Path DOC = Path.of("..", "docs", "envelopes.md");
    /** A marker, then (for long values) a {@code <details>} line and a blank line, then the fenced block. */
    private static final Pattern BLOCK = Pattern.compile("<!-- vector ([a-z0-9-]+) ([a-z-]+) -->\\s*\\n"
            + "(?:<details>[^\\n]*\\n\\s*)?```[a-z]*\\n(.*?)\\n```", Pattern.DOTALL);
    private static final List<String> FIELDS = List.of("input", "plaintext", "signing-input", "signature");

    @Test
    void theDocumentedVectorsAreReproduced() throws Exception {
        Map<String, Map<String, String>> vectors = read();
        assertThat(vectors).as("vectors in %s", DOC).containsKeys("l2ps-text", "l2ps-reaction", "l2ps-media",
                "legacy-text");
        boolean print = Boolean.getBoolean("demos.im.printEnvelopeVectors");
        for (Map.Entry<String, Map<String, String>> v : vectors.entrySet()) {
            String name = v.getKey();
            Map<String, String> doc = v.getValue();
            assertThat(doc.keySet()).as(name).containsAll(FIELDS);
            JsonValue input = CodecProvider.find("jackson").create().parse(doc.get("input"));
            Identity signer = Identity.fromMasterSeed(Bytes.fromHex(text(input, "masterSeed")).toByteArray(), CRYPTO);
            MessageEnvelope signed = DEMOS.signEnvelope(signer, draft(input));
            String signingInput = new String(signed.signingInput(), StandardCharsets.UTF_8);
            String signature = signed.signature().orElseThrow().toHex();
            if (print) {
                System.out.printf("%n== %s%nplaintext:%n%s%nsigning input:%n%s%nsignature:%n%s%n", name,
                        signed.toJson(), signingInput, signature);
                continue;
            }
            assertThat(signed.toJson()).as(name + " plaintext").isEqualTo(doc.get("plaintext"));
            assertThat(signingInput).as(name + " signing input").isEqualTo(doc.get("signing-input"));
            assertThat(signature).as(name + " signature").isEqualTo(doc.get("signature"));
            // the other direction: what the document shows reads back and verifies
            MessageEnvelope parsed = MessageEnvelope.parse(doc.get("plaintext"));
            assertThat(parsed).isEqualTo(signed);
            assertThat(DEMOS.verifyEnvelopeSignature(parsed)).as(name + " verifies").isTrue();
            if (parsed.profile() == MessageEnvelope.Profile.L2PS) {
                assertThat(text(input, "ed25519PublicKey")).isEqualTo(signer.ed25519PublicKeyHex());
                byte[] jdk = jdkEd25519(Bytes.fromHex(text(input, "ed25519Seed")).toByteArray(),
                        doc.get("signing-input").getBytes(StandardCharsets.UTF_8));
                assertThat(Bytes.of(jdk).toHex()).as(name + " signed by the JDK's Ed25519").isEqualTo(signature);
            } else {
                assertThat(Bytes.of(MessageDigest.getInstance("SHA-256").digest(signer.mlDsaPublicKey().toByteArray()))
                        .toHex()).isEqualTo(text(input, "mlDsaPublicKeySha256"));
                assertThat(Bytes.of(signer.derivedSeed("ml-dsa")).toHex()).isEqualTo(text(input, "mlDsaSeed"));
            }
        }
    }

    @Test
    void aChangedByteFailsVerification() throws Exception {
        for (Map<String, String> doc : read().values()) {
            MessageEnvelope parsed = MessageEnvelope.parse(doc.get("plaintext"));
            byte[] sig = parsed.signature().orElseThrow().toByteArray();
            sig[sig.length / 2] ^= 0x01;
            assertThat(DEMOS.verifyEnvelopeSignature(parsed.withSignature(Bytes.of(sig)))).isFalse();
            MessageEnvelope otherTime = new MessageEnvelope(parsed.profile(), parsed.id(), parsed.from(),
                    parsed.to(), parsed.type(), parsed.content(), parsed.timestamp() + 1, parsed.replyTo(),
                    parsed.signingKey(), parsed.signature());
            assertThat(DEMOS.verifyEnvelopeSignature(otherTime)).isFalse();
        }
    }

    private static MessageEnvelope draft(JsonValue in) {
        MessageEnvelope.Profile profile = "legacy".equals(text(in, "profile")) ? MessageEnvelope.Profile.LEGACY
                : MessageEnvelope.Profile.L2PS;
        MessageEnvelope.Type type = MessageEnvelope.Type.fromWire(text(in, "type")).orElseThrow();
        String content = type == MessageEnvelope.Type.MEDIA
                ? new MessageEnvelope.Media(text(in, "mimeType"), Bytes.fromHex(text(in, "mediaHex"))).toContent()
                : text(in, "content");
        return new MessageEnvelope(profile, text(in, "id"), text(in, "from"), text(in, "to"), type, content,
                ((JsonValue.JsonNumber) in.get("timestamp").orElseThrow()).value().longValueExact(),
                in.get("replyTo").flatMap(JsonValue::asString), Optional.empty(), Optional.empty());
    }

    private static String text(JsonValue in, String name) {
        return in.get(name).flatMap(JsonValue::asString).orElseThrow(() -> new AssertionError("input has no " + name));
    }

    /** Ed25519 (RFC 8032) by the JDK, from the 32-byte private seed. */
    private static byte[] jdkEd25519(byte[] seed, byte[] message) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519,
                seed)));
        s.update(message);
        return s.sign();
    }

    /** Vector name to field to the content of the fenced block under its marker. */
    private static Map<String, Map<String, String>> read() throws Exception {
        String md = Files.readString(DOC);
        Map<String, Map<String, String>> vectors = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(md);
        List<String> seen = new ArrayList<>();
        while (m.find()) {
            seen.add(m.group(1) + " " + m.group(2));
            vectors.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2), m.group(3));
        }
        assertThat(seen).as("vector blocks").doesNotHaveDuplicates();
        return vectors;
    }
}
