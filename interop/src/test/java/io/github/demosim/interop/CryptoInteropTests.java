package io.github.demosim.interop;

import static io.github.demosim.interop.NodeScript.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.CryptoProvider;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Crypto both ways, with material the SDK makes at test time ({@code legacy-and-crypto.md} §B, §C.2 items
 * 1–11): identities from the same seeds and wallet texts match; the SDK's {@code ml-kem-aes} ciphertexts
 * open in Java and Java's open in the SDK; signatures verify across, and the deterministic ones are equal.
 * Fresh random seeds, plaintexts and messages every run; each assertion names the inputs it used.
 */
@Timeout(300)
class CryptoInteropTests {

    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int FRESH_CASES = 5;

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

    /**
     * The suite runs on the crypto provider it was given ({@code interop/run --crypto jdk} puts crypto-jdk beside
     * Bouncy Castle and names it): every identity of the Java peers, the server's lookup and {@code DemosCrypto.load()}
     * use that one, so a green run is that provider's.
     */
    @Test
    void theSuiteRunsOnTheCryptoProviderItWasGiven() {
        String given = System.getProperty("demos.im.crypto");
        assertThat(given).as("interop/pom.xml sets demos.im.crypto").isNotBlank();
        assertThat(CryptoProvider.find().name()).isEqualTo(given);
        assertThat(Identity.generate().toString()).endsWith(", provider=" + given + "]");
    }

    // ---- identities ------------------------------------------------------------------------------------

    @Test
    void identitiesFromTheSameMasterSeedsMatch() {
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < FRESH_CASES; i++) {
            seeds.add(randomBytes(128)); // what Demos wallets hold
        }
        seeds.add(randomBytes(32)); // the SDK warns below 128 bytes but derives all the same
        seeds.add(randomBytes(200));
        for (byte[] seed : seeds) {
            Identity identity = Identity.fromMasterSeed(seed);
            JsonNode theirs = sdkIdentity(seedSpec(seed));
            assertSameKeys(identity, theirs, "master seed " + HEX.formatHex(seed));
        }
    }

    @Test
    void identitiesFromTheSameWalletTextsMatch() {
        // BIP-39 test mnemonics, and wallet texts that are not mnemonics (connectWallet hashes those too)
        List<String> mnemonics = List.of(
                "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
                "legal winner thank year wave sausage worth useful legal winner thank yellow",
                "  zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong  ");
        for (String mnemonic : mnemonics) {
            assertSameKeys(Identity.fromMnemonic(mnemonic), sdkIdentity(JSON().put("mnemonic", mnemonic)), mnemonic);
        }
        String twelveWordsBadChecksum = "abandon abandon abandon abandon abandon abandon abandon abandon abandon "
                + "abandon abandon abandon";
        String elevenWords = "demos" + " interop".repeat(10);
        String exactly128Characters = elevenWords + " " + "x".repeat(128 - elevenWords.length() - 1); // the PBKDF2 path
        assertThat(exactly128Characters).hasSize(128);
        for (String text : List.of(twelveWordsBadChecksum, exactly128Characters)) {
            assertSameKeys(Identity.fromSecretText(text), sdkIdentity(JSON().put("secretText", text)), text);
        }
    }

    // ---- ml-kem-aes ----------------------------------------------------------------------------------

    @Test
    void sdkCiphertextsOpenInJava() {
        Identity recipient = Identity.generate();
        byte[] sender = randomBytes(128);
        for (byte[] plaintext : plaintexts()) {
            JsonNode sealed = sdk.call(op("encrypt").<ObjectNode>set("identity", seedSpec(sender))
                    .put("recipientPublicKeyHex", recipient.mlKemPublicKey().toHex())
                    .put("plaintextHex", HEX.formatHex(plaintext)));
            EncryptedObject wire = new EncryptedObject(sealed.path("algorithm").asText(),
                    sealed.path("serializedCipherText").asText(), sealed.path("serializedEncryptedData").asText());
            SealedMessage message = SealedMessage.fromEncryptedObject(wire);
            assertThat(java.open(recipient, message)).as("plaintext %s", HEX.formatHex(plaintext)).isEqualTo(plaintext);
            assertThat(recipient.open(message)).isEqualTo(plaintext);

            SealedMessage tampered = new SealedMessage(message.kemCiphertext(), message.iv(), flipLastBit(message.bodyAndTag()));
            assertThatThrownBy(() -> java.open(recipient, tampered)).isInstanceOf(CryptoException.class);
            Identity someoneElse = Identity.generate();
            assertThatThrownBy(() -> java.open(someoneElse, message)).isInstanceOf(CryptoException.class);
        }
    }

    @Test
    void javaCiphertextsOpenInTheSdk() {
        byte[] recipientSeed = randomBytes(128);
        Bytes recipientKey = Bytes.fromHex(sdkIdentity(seedSpec(recipientSeed)).path("mlKemPublicKeyHex").asText());
        for (byte[] plaintext : plaintexts()) {
            EncryptedObject wire = java.seal(recipientKey, plaintext).toEncryptedObject();
            JsonNode opened = sdk.call(decrypt(recipientSeed, wire));
            assertThat(opened.path("plaintextHex").asText()).as("plaintext %s", HEX.formatHex(plaintext))
                    .isEqualTo(HEX.formatHex(plaintext));

            byte[] data = Bytes.fromBase64(wire.serializedEncryptedData()).toByteArray();
            data[data.length - 1] ^= 1;
            EncryptedObject tampered = new EncryptedObject(wire.algorithm(), wire.serializedCipherText(),
                    Bytes.of(data).toBase64());
            JsonNode refused = sdk.callRaw(decrypt(recipientSeed, tampered));
            assertThat(refused.path("ok").asBoolean()).as("the SDK opened a tampered Java ciphertext").isFalse();
            JsonNode wrongRecipient = sdk.callRaw(decrypt(randomBytes(128), wire));
            assertThat(wrongRecipient.path("ok").asBoolean()).as("the SDK opened a ciphertext not sealed to it").isFalse();
        }
    }

    // ---- signatures --------------------------------------------------------------------------------------

    @Test
    void sdkSignaturesVerifyInJavaAndJavasInTheSdk() {
        for (int i = 0; i < FRESH_CASES; i++) {
            byte[] seed = randomBytes(128);
            Identity identity = Identity.fromMasterSeed(seed);
            // valid UTF-8: the SDK's Ed25519 signs TextDecoder(message) re-encoded (§B.3), the same bytes only then
            byte[] message = randomText().getBytes(StandardCharsets.UTF_8);
            String as = "seed " + HEX.formatHex(seed) + ", message " + HEX.formatHex(message);

            JsonNode ed = sdkSign(seed, "ed25519", message);
            assertThat(ed.path("publicKeyHex").asText()).isEqualTo(identity.ed25519PublicKeyHex());
            Bytes edSignature = Bytes.fromHex(ed.path("signatureHex").asText());
            assertThat(java.verifyEd25519(identity.ed25519PublicKey(), message, edSignature)).as(as).isTrue();
            assertThat(java.verifyEd25519(identity.ed25519PublicKey(), message, flipLastBit(edSignature))).as(as).isFalse();
            byte[] javaEd = identity.signEd25519(message);
            assertThat(HEX.formatHex(javaEd)).as("Ed25519 is deterministic: " + as).isEqualTo(edSignature.toHex());
            assertThat(sdkVerify("ed25519", identity.ed25519PublicKey(), message, Bytes.of(javaEd))).as(as).isTrue();
            assertThat(sdkVerify("ed25519", identity.ed25519PublicKey(), message, flipLastBit(Bytes.of(javaEd)))).isFalse();

            JsonNode dsa = sdkSign(seed, "ml-dsa", message);
            assertThat(dsa.path("publicKeyHex").asText()).isEqualTo(identity.mlDsaPublicKey().toHex());
            Bytes dsaSignature = Bytes.fromHex(dsa.path("signatureHex").asText());
            assertThat(java.verifyMlDsa(identity.mlDsaPublicKey(), message, dsaSignature)).as(as).isTrue();
            assertThat(java.verifyMlDsa(identity.mlDsaPublicKey(), message, flipLastBit(dsaSignature))).as(as).isFalse();
            byte[] javaDsa = identity.signMlDsa(message);
            assertThat(HEX.formatHex(javaDsa)).as("ML-DSA-65 signing is deterministic (rnd = 0): " + as)
                    .isEqualTo(dsaSignature.toHex());
            assertThat(sdkVerify("ml-dsa", identity.mlDsaPublicKey(), message, Bytes.of(javaDsa))).as(as).isTrue();
            assertThat(sdkVerify("ml-dsa", identity.mlDsaPublicKey(), message, flipLastBit(Bytes.of(javaDsa)))).isFalse();
        }
    }

    @Test
    void protocolProofsAreTheSdksSignatures() {
        byte[] seed = randomBytes(128);
        Identity identity = Identity.fromMasterSeed(seed);

        // legacy register (§A.5): ML-DSA-65 over the raw ML-KEM-768 public key, as MessagingPeer.registerAndWait signs it
        SignedObject proof = java.legacyRegistrationProof(identity);
        JsonNode theirs = sdkSign(seed, "ml-dsa", identity.mlKemPublicKey().toByteArray());
        assertThat(Bytes.fromBase64(proof.serializedSignedData()).toHex()).isEqualTo(theirs.path("signatureHex").asText());
        assertThat(Bytes.fromBase64(proof.serializedPublicKey()).toHex()).isEqualTo(theirs.path("publicKeyHex").asText());
        assertThat(Bytes.fromBase64(proof.serializedMessage())).isEqualTo(identity.mlKemPublicKey());

        // L2PS register and history (l2ps.md §5.2, §7.1): Ed25519 over the UTF-8 proof strings
        long timestamp = System.currentTimeMillis();
        String register = DemosCrypto.registerProofMessage(identity.ed25519PublicKeyHex(), timestamp);
        assertThat(java.signL2psRegisterProof(identity, timestamp))
                .isEqualTo(sdkSign(seed, "ed25519", register.getBytes(StandardCharsets.UTF_8)).path("signatureHex").asText());
        String peer = Identity.generate().ed25519PublicKeyHex();
        String history = DemosCrypto.historyProofMessage(peer, timestamp);
        assertThat(java.signL2psHistoryProof(identity, peer, timestamp))
                .isEqualTo(sdkSign(seed, "ed25519", history.getBytes(StandardCharsets.UTF_8)).path("signatureHex").asText());
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static void assertSameKeys(Identity identity, JsonNode theirs, String from) {
        assertThat(HEX.formatHex(identity.exportMasterSeed())).as("master seed of %s", from)
                .isEqualTo(theirs.path("masterSeedHex").asText());
        assertThat(identity.ed25519PublicKeyHex()).as("Ed25519 key of %s", from)
                .isEqualTo(theirs.path("ed25519PublicKeyHex").asText());
        assertThat(identity.mlDsaPublicKey().toHex()).as("ML-DSA-65 key of %s", from)
                .isEqualTo(theirs.path("mlDsaPublicKeyHex").asText());
        assertThat(identity.mlKemPublicKey().toHex()).as("ML-KEM-768 key of %s", from)
                .isEqualTo(theirs.path("mlKemPublicKeyHex").asText());
    }

    private static JsonNode sdkIdentity(ObjectNode spec) {
        return sdk.call(op("identity").set("identity", spec));
    }

    private static JsonNode sdkSign(byte[] seed, String algorithm, byte[] message) {
        return sdk.call(op("sign").<ObjectNode>set("identity", seedSpec(seed)).put("algorithm", algorithm)
                .put("messageHex", HEX.formatHex(message)));
    }

    private static boolean sdkVerify(String algorithm, Bytes publicKey, byte[] message, Bytes signature) {
        return sdk.call(op("verify").put("algorithm", algorithm).put("publicKeyHex", publicKey.toHex())
                .put("messageHex", HEX.formatHex(message)).put("signatureHex", signature.toHex())).path("valid").asBoolean();
    }

    private static ObjectNode decrypt(byte[] recipientSeed, EncryptedObject wire) {
        return op("decrypt").<ObjectNode>set("identity", seedSpec(recipientSeed))
                .put("serializedCipherText", wire.serializedCipherText())
                .put("serializedEncryptedData", wire.serializedEncryptedData());
    }

    private static ObjectNode seedSpec(byte[] seed) {
        return JSON().put("seedHex", HEX.formatHex(seed));
    }

    private static ObjectNode JSON() {
        return NodeScript.JSON.createObjectNode();
    }

    /** Empty, ASCII, non-ASCII UTF-8, arbitrary bytes, and a large one (the SDK sends up to ~120 KB, §B.6). */
    private static List<byte[]> plaintexts() {
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[0]);
        out.add("hello demos".getBytes(StandardCharsets.UTF_8));
        out.add(randomText().getBytes(StandardCharsets.UTF_8));
        out.add(randomBytes(1 + RANDOM.nextInt(300)));
        out.add(randomBytes(100_000));
        return out;
    }

    private static String randomText() {
        String alphabet = "abcXYZ019 ,.!?éüß€✓中文😀👋\n\"\\";
        int[] codePoints = alphabet.codePoints().toArray();
        StringBuilder text = new StringBuilder();
        int length = 1 + RANDOM.nextInt(200);
        for (int i = 0; i < length; i++) {
            text.appendCodePoint(codePoints[RANDOM.nextInt(codePoints.length)]);
        }
        return text.toString();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Bytes flipLastBit(Bytes bytes) {
        byte[] raw = bytes.toByteArray();
        raw[raw.length - 1] ^= 1;
        return Bytes.of(raw);
    }
}
