package io.github.demosim.tck.crypto;

import static io.github.demosim.tck.crypto.Support.concat;
import static io.github.demosim.tck.crypto.Support.decimalString;
import static io.github.demosim.tck.crypto.Support.filled;
import static io.github.demosim.tck.crypto.Support.flip;
import static io.github.demosim.tck.crypto.Support.utf8;
import static io.github.demosim.tck.crypto.Vectors.at;
import static io.github.demosim.tck.crypto.Vectors.elements;
import static io.github.demosim.tck.crypto.Vectors.hex;
import static io.github.demosim.tck.crypto.Vectors.hexFile;
import static io.github.demosim.tck.crypto.Vectors.number;
import static io.github.demosim.tck.crypto.Vectors.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.Label;

/**
 * Every known answer a provider must reproduce byte for byte: {@code kat.json} and its {@code .hex} files
 * ({@code legacy-and-crypto.md} §B.11, checklist §C.2 items 1–11), the TypeScript SDK 2.9.1 vectors, and the
 * L2PS proof and message-hash vectors ({@code l2ps.md} §5.2, §5.6, §7.1).
 */
public interface KnownAnswerContract {

    /**
     * Returns the provider under test.
     *
     * @return the provider
     */
    CryptoProvider provider();

    // --- kat.json (legacy-and-crypto.md §B.11) -------------------------------------------------------------

    /** §C.2 #1: HKDF-SHA256, salt "master seed", info = algorithm, for master seed 00..7f. */
    @Example
    @Label("kat: HKDF seeds of master seed 00..7f")
    default void katHkdfSeeds() {
        Identity alice = fixtures().alice();
        JsonValue kat = Vectors.kat();
        assertThat(Bytes.of(alice.exportMasterSeed())).isEqualTo(hex(kat, "masterSeedHex"));
        for (String algorithm : List.of("ed25519", "falcon", "ml-dsa", "ml-kem-aes", "rsa")) {
            assertThat(Bytes.of(alice.derivedSeed(algorithm))).as(algorithm).isEqualTo(hex(kat, "hkdf_" + algorithm));
        }
    }

    /** §C.2 #2: the Ed25519 seed is SHA-256 of the comma-joined decimal HKDF bytes. */
    @Example
    @Label("kat: Ed25519 decimal-string quirk, public key and sig(\"hello\")")
    default void katEd25519() {
        JsonValue kat = Vectors.kat();
        CryptoPrimitives primitives = provider().create();
        String decimal = decimalString(hex(kat, "hkdf_ed25519").toByteArray());
        assertThat(decimal).isEqualTo(text(kat, "ed25519_decimalString"));
        byte[] seed = primitives.sha256(decimal.getBytes(StandardCharsets.US_ASCII));
        assertThat(Bytes.of(seed)).isEqualTo(hex(kat, "ed25519_seed"));
        assertThat(Bytes.of(primitives.ed25519PublicKey(seed))).isEqualTo(hex(kat, "ed25519_pk"));
        assertThat(fixtures().alice().ed25519PublicKey()).isEqualTo(hex(kat, "ed25519_pk"));
        assertThat(Bytes.of(fixtures().alice().signEd25519(utf8("hello")))).isEqualTo(hex(kat, "ed25519_sig_hello"));
        assertThat(Bytes.of(primitives.ed25519Sign(seed, utf8("hello")))).isEqualTo(hex(kat, "ed25519_sig_hello"));
    }

    /** §C.2 #3: ML-DSA-65 KeyGen from the 32-byte seed. */
    @Example
    @Label("kat: ML-DSA-65 keys")
    default void katMlDsaKeys() {
        JsonValue kat = Vectors.kat();
        CryptoPrimitives primitives = provider().create();
        CryptoPrimitives.KeyPair keys = primitives.mlDsa65KeyPair(hex(kat, "hkdf_ml-dsa").toByteArray());
        assertThat(keys.publicKey()).hasSize((int) number(kat, "mldsa_pk_len"));
        assertThat(keys.secretKey()).hasSize((int) number(kat, "mldsa_sk_len"));
        assertThat(Bytes.of(primitives.sha256(keys.publicKey()))).isEqualTo(hex(kat, "mldsa_pk_sha256"));
        assertThat(Bytes.of(Arrays.copyOf(keys.publicKey(), 32))).isEqualTo(hex(kat, "mldsa_pk_first32"));
        assertThat(Bytes.of(keys.publicKey())).isEqualTo(hexFile("mldsa_pk.hex"));
        assertThat(fixtures().alice().mlDsaPublicKey()).isEqualTo(hexFile("mldsa_pk.hex"));
    }

    /** §C.2 #4: ML-KEM-768 KeyGen from the 64-byte seed d ‖ z. */
    @Example
    @Label("kat: ML-KEM-768 keys")
    default void katMlKemKeys() {
        JsonValue kat = Vectors.kat();
        CryptoPrimitives primitives = provider().create();
        CryptoPrimitives.KeyPair keys = primitives.mlKem768KeyPair(hex(kat, "hkdf_ml-kem-aes").toByteArray());
        assertThat(keys.publicKey()).hasSize((int) number(kat, "mlkem_pk_len"));
        assertThat(keys.secretKey()).hasSize((int) number(kat, "mlkem_sk_len"));
        assertThat(Bytes.of(primitives.sha256(keys.publicKey()))).isEqualTo(hex(kat, "mlkem_pk_sha256"));
        assertThat(Bytes.of(Arrays.copyOf(keys.publicKey(), 32))).isEqualTo(hex(kat, "mlkem_pk_first32"));
        assertThat(Bytes.of(primitives.sha256(keys.secretKey()))).isEqualTo(hex(kat, "mlkem_sk_sha256"));
        assertThat(Bytes.of(keys.publicKey())).isEqualTo(hexFile("mlkem_pk.hex"));
        assertThat(fixtures().alice().mlKemPublicKey()).isEqualTo(hexFile("mlkem_pk.hex"));
    }

    /** §C.2 #5 and §A.5: the deterministic ML-DSA-65 proof over the raw ML-KEM public key. */
    @Example
    @Label("kat: legacy registration proof, byte for byte")
    default void katLegacyRegistrationProof() {
        JsonValue kat = Vectors.kat();
        DemosCrypto crypto = fixtures().crypto();
        Identity alice = fixtures().alice();
        SignedObject proof = crypto.legacyRegistrationProof(alice);
        Bytes signature = Bytes.fromBase64(proof.serializedSignedData());

        assertThat(proof.algorithm()).isEqualTo("ml-dsa");
        assertThat(signature.length()).isEqualTo((int) number(kat, "proof_sig_len"));
        assertThat(signature).isEqualTo(hexFile("proof_sig.hex"));
        assertThat(Bytes.of(provider().create().sha256(signature.toByteArray()))).isEqualTo(hex(kat, "proof_sig_sha256"));
        assertThat(Bytes.fromBase64(proof.serializedPublicKey())).isEqualTo(hexFile("mldsa_pk.hex"));
        assertThat(Bytes.fromBase64(proof.serializedMessage())).isEqualTo(hexFile("mlkem_pk.hex"));
        assertThat(proof.serializedPublicKey()).hasSize((int) number(kat, "proof_serializedPublicKey_len"));
        assertThat(proof.serializedSignedData()).hasSize((int) number(kat, "proof_serializedSignedData_len"));
        assertThat(proof.serializedMessage()).hasSize((int) number(kat, "proof_serializedMessage_len"));
        assertThat(crypto.legacyRegistrationProof(alice)).as("deterministic").isEqualTo(proof);
        assertThat(crypto.verifyLegacyRegistrationProof(proof, alice.mlKemPublicKey())).isTrue();
        assertThat(crypto.verifyLegacyRegistrationProof(proof, null)).isTrue();
    }

    /** §C.2 #6: proof_sig.hex verifies under mldsa_pk.hex for message mlkem_pk.hex; one flipped bit breaks it. */
    @Example
    @Label("kat: proof_sig.hex verifies, and a flipped bit does not")
    default void katProofSignatureVerifies() {
        CryptoPrimitives primitives = provider().create();
        byte[] publicKey = hexFile("mldsa_pk.hex").toByteArray();
        byte[] message = hexFile("mlkem_pk.hex").toByteArray();
        byte[] signature = hexFile("proof_sig.hex").toByteArray();
        assertThat(primitives.mlDsa65Verify(publicKey, message, signature)).isTrue();
        for (int bit : new int[] {0, 7, 8 * 1000 + 3, signature.length * 8 - 1}) {
            assertThat(primitives.mlDsa65Verify(publicKey, message, flip(signature, bit))).as("sig bit " + bit).isFalse();
        }
        assertThat(primitives.mlDsa65Verify(publicKey, flip(message, 5), signature)).isFalse();
        assertThat(primitives.mlDsa65Verify(flip(publicKey, 9), message, signature)).isFalse();
    }

    /** §C.2 #7 with the encapsulation randomness m = 32 × 0x42. */
    @Example
    @Label("kat: encapsulation with m = 0x42…42 reproduces kem_ct.hex and the shared secret")
    default void katEncapsulation() {
        JsonValue kat = Vectors.kat();
        FixedRandom random = new FixedRandom(filled(32, 0x42));
        CryptoPrimitives primitives = provider().create(random);
        CryptoPrimitives.Encapsulation encapsulation =
                primitives.mlKem768Encapsulate(hexFile("mlkem_pk.hex").toByteArray());
        assertThat(Bytes.of(encapsulation.ciphertext())).isEqualTo(hexFile("kem_ct.hex"));
        assertThat(encapsulation.ciphertext()).hasSize((int) number(kat, "kem_ct_len"));
        assertThat(Bytes.of(primitives.sha256(encapsulation.ciphertext()))).isEqualTo(hex(kat, "kem_ct_sha256"));
        assertThat(Bytes.of(encapsulation.sharedSecret())).isEqualTo(hex(kat, "kem_ss"));
        assertThat(random.remaining()).as("ML-KEM Encaps draws exactly 32 bytes").isZero();
    }

    /** §C.2 #7: decapsulating kem_ct.hex gives the shared secret; encryptedData decrypts to "hello demos". */
    @Example
    @Label("kat: decapsulation and decryption of \"hello demos\"")
    default void katDecryption() {
        JsonValue kat = Vectors.kat();
        CryptoPrimitives primitives = provider().create();
        byte[] secretKey = primitives.mlKem768KeyPair(hex(kat, "hkdf_ml-kem-aes").toByteArray()).secretKey();
        byte[] sharedSecret = primitives.mlKem768Decapsulate(secretKey, hexFile("kem_ct.hex").toByteArray());
        assertThat(Bytes.of(sharedSecret)).isEqualTo(hex(kat, "kem_ss"));

        byte[] encryptedData = hex(kat, "encryptedData_hex").toByteArray();
        assertThat(encryptedData).hasSize((int) number(kat, "encryptedData_len"));
        byte[] plaintext = primitives.aesGcmDecrypt(sharedSecret, Arrays.copyOf(encryptedData, 12),
                Arrays.copyOfRange(encryptedData, 12, encryptedData.length));
        assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(text(kat, "aes_plaintext_utf8"));

        SealedMessage sealed = SealedMessage.fromEncryptedObject(new EncryptedObject("ml-kem-aes",
                hexFile("kem_ct.hex").toBase64(), text(kat, "serializedEncryptedData")));
        assertThat(new String(fixtures().alice().open(sealed), StandardCharsets.UTF_8)).isEqualTo("hello demos");
        assertThat(fixtures().crypto().open(fixtures().alice(), sealed)).isEqualTo(plaintext);
    }

    /** §C.2 #8: the whole seal with fixed randomness (m = 0x42…, then iv = 00..0b) is byte-identical. */
    @Example
    @Label("kat: seal(\"hello demos\") with fixed randomness, byte for byte")
    default void katSeal() {
        JsonValue kat = Vectors.kat();
        FixedRandom random = new FixedRandom(concat(filled(32, 0x42), Bytes.fromHex("000102030405060708090a0b").toByteArray()));
        SealedMessage sealed = DemosCrypto.create(provider(), random)
                .seal(hexFile("mlkem_pk.hex"), utf8(text(kat, "aes_plaintext_utf8")));
        assertThat(random.remaining()).as("seal draws 32 bytes for Encaps, then 12 for the IV").isZero();
        assertThat(sealed.kemCiphertext()).isEqualTo(hexFile("kem_ct.hex"));
        assertThat(sealed.encryptedData()).isEqualTo(hex(kat, "encryptedData_hex"));
        EncryptedObject wire = sealed.toEncryptedObject();
        assertThat(wire.algorithm()).isEqualTo("ml-kem-aes");
        assertThat(wire.serializedEncryptedData()).isEqualTo(text(kat, "serializedEncryptedData"));
        assertThat(wire.serializedCipherText()).isEqualTo(hexFile("kem_ct.hex").toBase64());
    }

    /** §C.2 #11: the mnemonic "abandon ×11 about" through connectWallet. */
    @Example
    @Label("kat: mnemonic identity")
    default void katMnemonic() {
        JsonValue kat = Vectors.kat();
        CryptoPrimitives primitives = provider().create();
        Identity identity = Identity.fromMnemonic(text(kat, "mnemonic"), provider());
        assertThat(new String(identity.exportMasterSeed(), StandardCharsets.US_ASCII))
                .isEqualTo(text(kat, "mnemonic_masterSeed_ascii"));
        assertThat(identity.ed25519PublicKeyHex()).isEqualTo(text(kat, "mnemonic_ed25519_pk"));
        assertThat(Bytes.of(primitives.sha256(identity.mlDsaPublicKey().toByteArray())))
                .isEqualTo(hex(kat, "mnemonic_mldsa_pk_sha256"));
        assertThat(Bytes.of(primitives.sha256(identity.mlKemPublicKey().toByteArray())))
                .isEqualTo(hex(kat, "mnemonic_mlkem_pk_sha256"));
        assertThat(Identity.fromSecretText(text(kat, "mnemonic"), provider()).ed25519PublicKey())
                .isEqualTo(identity.ed25519PublicKey());
    }

    // --- ts-sdk-2.9.1-vectors.json -------------------------------------------------------------------------

    /** Both SDK identities: derived seeds, Ed25519 (forge 64-byte key), ML-DSA-65 and ML-KEM-768 key pairs. */
    @Example
    @Label("sdk: alice and bob, every key and seed")
    default void sdkIdentities() {
        CryptoPrimitives primitives = provider().create();
        for (String name : List.of("alice", "bob")) {
            JsonValue v = at(Vectors.sdk(), "identities", name);
            Identity identity = Identity.fromMasterSeed(hex(v, "masterSeedHex").toByteArray(), provider());
            for (String algorithm : List.of("ed25519", "ml-dsa", "ml-kem-aes", "falcon")) {
                assertThat(Bytes.of(identity.derivedSeed(algorithm))).as(name + " " + algorithm)
                        .isEqualTo(hex(v, "derivedSeeds", algorithm));
            }
            String decimal = text(v, "ed25519", "seedDerivation", "hkdfSeedToString");
            assertThat(decimal).isEqualTo(decimalString(identity.derivedSeed("ed25519")));
            Bytes rfc8032Seed = hex(v, "ed25519", "rfc8032SeedHex");
            assertThat(Bytes.of(primitives.sha256(decimal.getBytes(StandardCharsets.US_ASCII)))).isEqualTo(rfc8032Seed);
            assertThat(identity.ed25519PublicKeyHex()).isEqualTo(text(v, "ed25519", "publicKeyHex"));
            assertThat(Bytes.of(concat(rfc8032Seed.toByteArray(), identity.ed25519PublicKey().toByteArray())))
                    .as("forge's 64-byte private key = seed ‖ public key")
                    .isEqualTo(hex(v, "ed25519", "privateKeyHex_forge64"));

            assertThat(hex(v, "mlDsa65", "keygenSeedHex")).isEqualTo(Bytes.of(identity.derivedSeed("ml-dsa")));
            CryptoPrimitives.KeyPair mlDsa = primitives.mlDsa65KeyPair(hex(v, "mlDsa65", "keygenSeedHex").toByteArray());
            assertThat(Bytes.of(mlDsa.publicKey())).isEqualTo(hex(v, "mlDsa65", "publicKeyHex"));
            assertThat(Bytes.of(mlDsa.secretKey())).isEqualTo(hex(v, "mlDsa65", "secretKeyHex"));
            assertThat(identity.mlDsaPublicKey()).isEqualTo(hex(v, "mlDsa65", "publicKeyHex"));

            assertThat(hex(v, "mlKem768", "keygenSeedHex")).isEqualTo(Bytes.of(identity.derivedSeed("ml-kem-aes")));
            CryptoPrimitives.KeyPair mlKem = primitives.mlKem768KeyPair(hex(v, "mlKem768", "keygenSeedHex").toByteArray());
            assertThat(Bytes.of(mlKem.publicKey())).isEqualTo(hex(v, "mlKem768", "publicKeyHex"));
            assertThat(Bytes.of(mlKem.secretKey())).isEqualTo(hex(v, "mlKem768", "secretKeyHex"));
            assertThat(identity.mlKemPublicKey()).isEqualTo(hex(v, "mlKem768", "publicKeyHex"));
        }
    }

    /** The SDK's Ed25519 proofs, including a non-ASCII message, reproduced and verified. */
    @Example
    @Label("sdk: Ed25519 register/history/bob/non-ASCII signatures")
    default void sdkEd25519Signatures() {
        DemosCrypto crypto = fixtures().crypto();
        for (String name : List.of("registerProof", "historyProof", "bobRegisterProof", "nonAscii")) {
            JsonValue v = at(Vectors.sdk(), "ed25519", name);
            Identity signer = byEd25519Key(text(v, "publicKeyHex"));
            String message = text(v, "message");
            assertThat(Bytes.of(utf8(message))).as(name).isEqualTo(hex(v, "messageUtf8Hex"));
            assertThat(Bytes.of(signer.signEd25519(utf8(message)))).as(name).isEqualTo(hex(v, "signatureHex"));
            assertThat(crypto.verifyEd25519(signer.ed25519PublicKey(), utf8(message), hex(v, "signatureHex"))).isTrue();
            assertThat(crypto.verifyL2psProof(text(v, "publicKeyHex"), message, text(v, "signatureHex"))).isTrue();
            String[] parts = message.split(":");
            if (message.startsWith("register:")) {
                assertThat(DemosCrypto.registerProofMessage(signer.ed25519PublicKeyHex(), Long.parseLong(parts[2])))
                        .isEqualTo(message);
                assertThat(crypto.signL2psRegisterProof(signer, Long.parseLong(parts[2])))
                        .isEqualTo(text(v, "signatureHex"));
            } else if (message.startsWith("history:")) {
                assertThat(DemosCrypto.historyProofMessage(parts[1], Long.parseLong(parts[2]))).isEqualTo(message);
                assertThat(crypto.signL2psHistoryProof(signer, parts[1], Long.parseLong(parts[2])))
                        .isEqualTo(text(v, "signatureHex"));
            }
        }
        JsonValue frame = at(Vectors.sdk(), "ed25519", "registerFrameExample", "frame");
        Identity alice = fixtures().alice();
        assertThat(text(frame, "payload", "publicKey")).isEqualTo(alice.ed25519PublicKeyHex());
        assertThat(crypto.signL2psRegisterProof(alice, number(frame, "timestamp")))
                .isEqualTo(text(frame, "payload", "proof"));
    }

    /** The SDK's ML-DSA-65 signatures (a text and the legacy proof) and the legacy register frame. */
    @Example
    @Label("sdk: ML-DSA-65 signatures and the legacy register frame")
    default void sdkMlDsa() {
        DemosCrypto crypto = fixtures().crypto();
        Identity alice = fixtures().alice();
        for (String name : List.of("text", "legacyRegisterProof")) {
            JsonValue v = at(Vectors.sdk(), "mlDsa65", name);
            byte[] message = hex(v, "messageHex").toByteArray();
            Bytes signature = Bytes.of(alice.signMlDsa(message));
            assertThat(signature).as(name).isEqualTo(hex(v, "signatureHex"));
            assertThat(signature.length()).isEqualTo((int) number(v, "signatureLength"));
            assertThat(alice.mlDsaPublicKey()).isEqualTo(hex(v, "publicKeyHex"));
            assertThat(crypto.verifyMlDsa(alice.mlDsaPublicKey(), message, signature)).isTrue();
        }
        assertThat(hex(Vectors.sdk(), "mlDsa65", "legacyRegisterProof", "messageHex")).isEqualTo(alice.mlKemPublicKey());

        JsonValue payload = at(Vectors.sdk(), "mlDsa65", "legacyRegisterFrame", "frame", "payload");
        SignedObject proof = crypto.legacyRegistrationProof(alice);
        assertThat(proof).isEqualTo(new SignedObject(text(payload, "verification", "algorithm"),
                text(payload, "verification", "serializedSignedData"), text(payload, "verification", "serializedPublicKey"),
                text(payload, "verification", "serializedMessage")));
        List<JsonValue> publicKey = elements(payload, "publicKey");
        byte[] registered = new byte[publicKey.size()];
        for (int i = 0; i < registered.length; i++) {
            registered[i] = (byte) ((JsonValue.JsonNumber) publicKey.get(i)).value().intValueExact();
        }
        assertThat(Bytes.of(registered)).isEqualTo(alice.mlKemPublicKey());
        assertThat(crypto.verifyLegacyRegistrationProof(proof, Bytes.of(registered))).isTrue();
    }

    /** Every SDK ml-kem-aes message decrypts; its parts, shared secret and both frames match. */
    @Example
    @Label("sdk: every ml-kem-aes message opens, part by part")
    default void sdkMlKemAesMessages() {
        Identity alice = fixtures().alice();
        CryptoPrimitives primitives = provider().create();
        byte[] aliceSecretKey = primitives.mlKem768KeyPair(alice.derivedSeed("ml-kem-aes")).secretKey();
        List<JsonValue> entries = elements(Vectors.sdk(), "mlKemAes");
        assertThat(entries).hasSizeGreaterThanOrEqualTo(4);
        for (JsonValue v : entries) {
            assertThat(text(v, "recipient")).isEqualTo("alice");
            String plaintext = text(v, "plaintext");
            EncryptedObject wire = encryptedObject(at(v, "wireObject"));
            SealedMessage sealed = SealedMessage.fromEncryptedObject(wire);

            assertThat(alice.open(sealed)).as(plaintext).isEqualTo(utf8(plaintext));
            assertThat(sealed.kemCiphertext()).isEqualTo(hex(v, "components", "kemCiphertextHex"));
            assertThat(sealed.iv()).isEqualTo(hex(v, "components", "ivHex"));
            assertThat(sealed.bodyAndTag()).isEqualTo(Bytes.of(concat(hex(v, "components", "aesCiphertextHex").toByteArray(),
                    hex(v, "components", "tagHex").toByteArray())));
            assertThat(Bytes.of(primitives.mlKem768Decapsulate(aliceSecretKey, sealed.kemCiphertext().toByteArray())))
                    .isEqualTo(hex(v, "components", "sharedSecretHex"));
            assertThat(sealed.toEncryptedObject()).isEqualTo(wire);
            assertThat(SealedMessage.fromL2psEncrypted(sealed.toL2psEncrypted())).isEqualTo(sealed);
            if (v.get("plaintextUtf8Hex").isPresent()) {
                assertThat(Bytes.of(utf8(plaintext))).isEqualTo(hex(v, "plaintextUtf8Hex"));
                assertThat(sealed.encryptedData().length()).isEqualTo((int) number(v, "components", "encryptedDataLength"));
            }
            if (v.get("clientToServerFrame").isPresent()) {
                JsonValue sent = Vectors.parse(text(v, "clientToServerFrame"));
                assertThat(encryptedObject(at(sent, "payload", "message"))).isEqualTo(wire);
                JsonValue relayed = Vectors.parse(text(v, "serverToClientFrame"));
                assertThat(encryptedObject(at(relayed, "payload", "message"))).isEqualTo(wire);
            }
        }
    }

    /** The SDK entry made with fixed randomness is reproduced byte for byte by seal with that randomness. */
    @Example
    @Label("sdk: the fixed-randomness ml-kem-aes entry is reproduced by seal")
    default void sdkMlKemAesWithFixedRandomness() {
        List<JsonValue> fixed = new ArrayList<>();
        for (JsonValue v : elements(Vectors.sdk(), "mlKemAes")) {
            if (v.get("encapsulationRandomnessHex").isPresent()) {
                fixed.add(v);
            }
        }
        assertThat(fixed).isNotEmpty();
        for (JsonValue v : fixed) {
            FixedRandom random = new FixedRandom(concat(hex(v, "encapsulationRandomnessHex").toByteArray(),
                    hex(v, "components", "ivHex").toByteArray()));
            SealedMessage sealed = DemosCrypto.create(provider(), random)
                    .seal(fixtures().alice().mlKemPublicKey(), utf8(text(v, "plaintext")));
            assertThat(random.remaining()).isZero();
            assertThat(sealed.kemCiphertext()).isEqualTo(hex(v, "components", "kemCiphertextHex"));
            assertThat(sealed.iv()).isEqualTo(hex(v, "components", "ivHex"));
            assertThat(sealed.bodyAndTag()).isEqualTo(Bytes.of(concat(hex(v, "components", "aesCiphertextHex").toByteArray(),
                    hex(v, "components", "tagHex").toByteArray())));
            assertThat(sealed.toEncryptedObject()).isEqualTo(encryptedObject(at(v, "wireObject")));
        }
    }

    /** SHA-256 entries: standard SHA-256 over UTF-8, and where the SDK's forge raw-mode hashing differs. */
    @Example
    @Label("sdk: SHA-256 entries and the node's message hash")
    default void sdkSha256() {
        CryptoPrimitives primitives = provider().create();
        int messageHashes = 0;
        for (JsonValue v : elements(Vectors.sdk(), "sha256")) {
            String input = text(v, "input");
            Bytes sdkHash = hex(v, "sdkSha256Hex");
            if (v.get("inputUtf8Hex").isPresent()) {
                assertThat(Bytes.of(utf8(input))).isEqualTo(hex(v, "inputUtf8Hex"));
                Bytes standard = Bytes.of(primitives.sha256(utf8(input)));
                assertThat(standard).as(input).isEqualTo(hex(v, "sha256OfUtf8Hex"));
                boolean sdkEqualsUtf8 = at(v, "sdkEqualsUtf8").equals(JsonValue.JsonBoolean.TRUE);
                assertThat(standard.equals(sdkHash)).as("SDK hash equals UTF-8 hash for " + input).isEqualTo(sdkEqualsUtf8);
                if (!sdkEqualsUtf8 && at(v, "sdkEqualsLatin1").equals(JsonValue.JsonBoolean.TRUE)) {
                    // forge hashes one byte per UTF-16 unit: for U+0080..U+00FF that is ISO-8859-1 (l2ps.md §5.6)
                    assertThat(Bytes.of(primitives.sha256(input.getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo(sdkHash);
                }
            } else {
                JsonValue json = Vectors.parse(input);
                String hash = fixtures().crypto().messageHash(text(json, "from"), text(json, "to"), text(json, "content"),
                        number(json, "timestamp"));
                assertThat(Bytes.fromHex(hash)).isEqualTo(sdkHash);
                messageHashes++;
            }
        }
        assertThat(messageHashes).isPositive();
    }

    /** §C.2 #10: standard base64 with padding, as serializeUint8Array writes it. */
    @Example
    @Label("sdk: base64 serialization")
    default void sdkBase64() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        JsonValue v = at(Vectors.sdk(), "serialization");
        assertThat(Bytes.of(all).toBase64()).isEqualTo(text(v, "bytes0to255Base64"));
        assertThat(Bytes.fromBase64(text(v, "bytes0to255Base64"))).isEqualTo(Bytes.of(all));
        assertThat(Bytes.empty().toBase64()).isEqualTo(text(v, "emptyBase64"));
    }

    // --- l2ps.md vectors (RFC 8032 test key 1) -----------------------------------------------------------------

    /** l2ps.md §5.2 and §7.1: register and history proofs of the RFC 8032 test key. */
    @Example
    @Label("l2ps.md §5.2/§7.1: register and history proof vectors")
    default void l2psProofVectors() {
        CryptoPrimitives primitives = provider().create();
        DemosCrypto crypto = fixtures().crypto();
        byte[] seed = Bytes.fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").toByteArray();
        String publicKey = Bytes.of(primitives.ed25519PublicKey(seed)).toHex();
        assertThat(publicKey).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

        String register = DemosCrypto.registerProofMessage(publicKey, 1709312400000L);
        assertThat(register).isEqualTo("register:" + publicKey + ":1709312400000");
        String registerSignature = Bytes.of(primitives.ed25519Sign(seed, utf8(register))).toHex();
        assertThat(registerSignature).isEqualTo("edaa2f89233d8553ee8edad25fe31c45b39708ef20925e09ceca315d0f9428ea"
                + "dacadaafa2a751b140959daa95cff2934adef82a0bf09857b9eec59b2ac5ba02");
        assertThat(crypto.verifyL2psProof(publicKey, register, registerSignature)).isTrue();

        String history = DemosCrypto.historyProofMessage(
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", 1709312460000L);
        String historySignature = Bytes.of(primitives.ed25519Sign(seed, utf8(history))).toHex();
        assertThat(historySignature).isEqualTo("6add7665a8d90d38a45abdad740e7649a4fdee6074a640c46319062efca98b30"
                + "901dac484135bfbfa5b04caf1efdbda65899c1a0b8a86c4248e473384aca6d03");
        assertThat(crypto.verifyL2psProof(publicKey, history, historySignature)).isTrue();
        assertThat(crypto.verifyL2psProof(publicKey.toUpperCase(java.util.Locale.ROOT), history,
                historySignature.toUpperCase(java.util.Locale.ROOT))).as("hex in either case").isTrue();
        assertThat(crypto.verifyL2psProof(publicKey, register, historySignature)).isFalse();
    }

    /** l2ps.md §5.6: the node's computeMessageHash example. */
    @Example
    @Label("l2ps.md §5.6: message hash vector")
    default void l2psMessageHashVector() {
        assertThat(fixtures().crypto().messageHash("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "hello", 1709312400000L))
                .isEqualTo("313d7d10fa0c454ebb9c5e448d8c1f3a6fc83c901d02f616de80f0e41d3bf157");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private CryptoFixtures fixtures() {
        return CryptoFixtures.of(provider());
    }

    private Identity byEd25519Key(String hex) {
        for (Identity identity : List.of(fixtures().alice(), fixtures().bob())) {
            if (identity.ed25519PublicKeyHex().equals(hex)) {
                return identity;
            }
        }
        throw new AssertionError("no fixture identity has Ed25519 key " + hex);
    }

    private static EncryptedObject encryptedObject(JsonValue json) {
        return new EncryptedObject(text(json, "algorithm"), text(json, "serializedCipherText"),
                text(json, "serializedEncryptedData"));
    }
}
