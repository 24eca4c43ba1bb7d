package io.github.demosim;

import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.internal.crypto.KeyDerivation;
import io.github.demosim.internal.crypto.MasterSeeds;
import io.github.demosim.internal.crypto.MlKemAes;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Demos identity: the Ed25519, ML-DSA-65 and ML-KEM-768 key pairs the TypeScript SDK derives from one master
 * seed ({@code legacy-and-crypto.md} §B.2–§B.4, §B.8), so the same seed or mnemonic gives the same keys here
 * and in TypeScript.
 *
 * <ul>
 *   <li>Per-algorithm seeds: {@code HKDF-SHA256(master seed, salt "master seed", info <algorithm>)}, 32 bytes
 *       for {@code ed25519} and {@code ml-dsa}, 64 for {@code ml-kem-aes}.</li>
 *   <li>Ed25519, with the SDK's quirk: the RFC 8032 seed is SHA-256 of the HKDF bytes written as comma-joined
 *       decimals. It signs L2PS proofs; its public key is the L2PS address.</li>
 *   <li>ML-DSA-65 from its 32-byte seed; signs the legacy registration proof, deterministically.</li>
 *   <li>ML-KEM-768 from its 64-byte seed {@code d ‖ z}; messages are sealed to its public key.</li>
 * </ul>
 *
 * <p>The key pairs are derived once, when the identity is made, and kept in memory. {@link #toString()} shows
 * public keys only. Instances are immutable and thread-safe. Null arguments cause
 * {@link NullPointerException}.
 *
 * @since 0.1.0
 */
public final class Identity {
    private static final HexFormat HEX = HexFormat.of();
    private static final int GENERATED_SEED_BYTES = 128;

    private final CryptoProvider provider;
    private final CryptoPrimitives primitives;
    private final byte[] masterSeed;
    private final byte[] ed25519Seed;
    private final Bytes ed25519PublicKey;
    private final byte[] mlDsaSecretKey;
    private final Bytes mlDsaPublicKey;
    private final byte[] mlKemSecretKey;
    private final Bytes mlKemPublicKey;

    private Identity(CryptoProvider provider, CryptoPrimitives primitives, byte[] masterSeed) {
        this.provider = provider;
        this.primitives = primitives;
        this.masterSeed = masterSeed;
        this.ed25519Seed = KeyDerivation.ed25519Seed(primitives,
                KeyDerivation.seed(primitives, masterSeed, KeyDerivation.ED25519));
        this.ed25519PublicKey = Bytes.of(primitives.ed25519PublicKey(ed25519Seed));
        CryptoPrimitives.KeyPair mlDsa =
                primitives.mlDsa65KeyPair(KeyDerivation.seed(primitives, masterSeed, KeyDerivation.ML_DSA));
        this.mlDsaSecretKey = mlDsa.secretKey();
        this.mlDsaPublicKey = Bytes.of(mlDsa.publicKey());
        CryptoPrimitives.KeyPair mlKem =
                primitives.mlKem768KeyPair(KeyDerivation.seed(primitives, masterSeed, KeyDerivation.ML_KEM_AES));
        this.mlKemSecretKey = mlKem.secretKey();
        this.mlKemPublicKey = Bytes.of(mlKem.publicKey());
    }

    /**
     * Derives the identity of a raw master seed, as the SDK's {@code UnifiedCrypto.generateAllIdentities(seed)}
     * does (the seed is the HKDF input as is; the SDK's wallets use 128 bytes), on the provider
     * {@link CryptoProvider#find()} selects.
     *
     * @param seed the master seed, at least one byte; copied
     * @return the identity
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} if the seed is empty
     */
    public static Identity fromMasterSeed(byte[] seed) {
        return fromMasterSeed(seed, CryptoProvider.find());
    }

    /**
     * Derives the identity of a raw master seed on the given provider.
     *
     * @param seed the master seed, at least one byte; copied
     * @param provider the crypto provider
     * @return the identity
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} if the seed is empty
     */
    public static Identity fromMasterSeed(byte[] seed, CryptoProvider provider) {
        Objects.requireNonNull(seed, "seed");
        Objects.requireNonNull(provider, "provider");
        if (seed.length == 0) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The master seed is empty. Pass the wallet's "
                    + "128-byte master seed, or use Identity.fromMnemonic or Identity.generate.");
        }
        return new Identity(provider, provider.create(), seed.clone());
    }

    /**
     * Loads the identity of a seed file as {@code demos-im keygen --out FILE} writes it: the master seed in hex
     * ({@code 0x} optional), surrounding whitespace ignored. Uses the provider {@link CryptoProvider#find()}
     * selects.
     *
     * @param file the seed file
     * @return the identity
     * @throws IOException if the file cannot be read
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} if the file does not hold a hex seed
     */
    public static Identity fromSeedFile(Path file) throws IOException {
        return fromSeedFile(file, CryptoProvider.find());
    }

    /**
     * Loads the identity of a seed file on the given provider.
     *
     * @param file the seed file
     * @param provider the crypto provider
     * @return the identity
     * @throws IOException if the file cannot be read
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} if the file does not hold a hex seed
     * @see #fromSeedFile(Path)
     */
    public static Identity fromSeedFile(Path file, CryptoProvider provider) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(provider, "provider");
        String text = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
        String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        byte[] seed;
        try {
            seed = HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The seed file " + file + " does not hold a "
                    + "master seed in hex (" + e.getMessage() + "). It should be what 'demos-im keygen --out FILE' "
                    + "writes: one line of hex digits", e);
        }
        if (seed.length == 0) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "The seed file " + file + " is empty. It "
                    + "should be what 'demos-im keygen --out FILE' writes: one line of hex digits");
        }
        return fromMasterSeed(seed, provider);
    }

    /**
     * Writes this identity's master seed to a new file as {@link #fromSeedFile(Path)} reads it (one line of
     * lowercase hex), readable and writable by its owner alone where the file system has POSIX permissions.
     * Secret.
     *
     * @param file the file to create
     * @throws java.nio.file.FileAlreadyExistsException if it exists
     * @throws IOException if it cannot be written
     */
    public void writeSeedFile(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        byte[] text = (HEX.formatHex(masterSeed) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        }
        Files.write(file, text);
    }

    /**
     * Derives the identity of a BIP-39 English mnemonic, as the SDK's {@code Demos.connectWallet(mnemonic)}
     * does: the trimmed mnemonic's SHA3-512, as 128 ASCII bytes of lowercase hex, is the master seed. Uses
     * the provider {@link CryptoProvider#find()} selects.
     *
     * @param mnemonic 12, 15, 18, 21 or 24 words of the BIP-39 English list, with a valid checksum
     * @return the identity
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} saying why if it is not a valid mnemonic
     */
    public static Identity fromMnemonic(String mnemonic) {
        return fromMnemonic(mnemonic, CryptoProvider.find());
    }

    /**
     * Derives the identity of a BIP-39 English mnemonic on the given provider.
     *
     * @param mnemonic the mnemonic
     * @param provider the crypto provider
     * @return the identity
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} saying why if it is not a valid mnemonic
     * @see #fromMnemonic(String)
     */
    public static Identity fromMnemonic(String mnemonic, CryptoProvider provider) {
        Objects.requireNonNull(mnemonic, "mnemonic");
        Objects.requireNonNull(provider, "provider");
        CryptoPrimitives primitives = provider.create();
        MasterSeeds.requireMnemonic(mnemonic, primitives);
        return new Identity(provider, primitives, MasterSeeds.fromWalletText(mnemonic, primitives));
    }

    /**
     * Derives the identity of any wallet text exactly as the SDK's {@code Demos.connectWallet(string)} does
     * (§B.8): the text is trimmed; a valid mnemonic is hashed as text; other text of exactly 128 characters is
     * replaced by its BIP-39 PBKDF2 seed first; the master seed is the 128 ASCII bytes of the lowercase hex
     * SHA3-512. Uses the provider {@link CryptoProvider#find()} selects.
     *
     * <p><b>API note:</b> The SDK also hands every non-mnemonic text to {@code @scure/bip39}'s
     * {@code mnemonicToSeedSync}, which throws unless the text has 12, 15, 18, 21 or 24 space-separated words; so no Demos wallet can
     * be made of other text, and this method rejects it too rather than invent an identity the SDK cannot
     * reproduce.
     *
     * @param text the wallet text
     * @return the identity
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} where {@code connectWallet} throws
     */
    public static Identity fromSecretText(String text) {
        return fromSecretText(text, CryptoProvider.find());
    }

    /**
     * Derives the identity of any wallet text on the given provider.
     *
     * @param text the wallet text
     * @param provider the crypto provider
     * @return the identity
     * @throws CryptoException with {@code CRYPTO_INVALID_INPUT} where {@code connectWallet} throws
     * @see #fromSecretText(String)
     */
    public static Identity fromSecretText(String text, CryptoProvider provider) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(provider, "provider");
        CryptoPrimitives primitives = provider.create();
        return new Identity(provider, primitives, MasterSeeds.fromWalletText(text, primitives));
    }

    /**
     * Generates a new identity from 128 random bytes, on the provider {@link CryptoProvider#find()} selects.
     * Keep {@link #exportMasterSeed()} to restore it.
     *
     * @return the identity
     */
    public static Identity generate() {
        return generate(CryptoProvider.find());
    }

    /**
     * Generates a new identity from 128 random bytes of the given provider.
     *
     * @param provider the crypto provider
     * @return the identity
     */
    public static Identity generate(CryptoProvider provider) {
        Objects.requireNonNull(provider, "provider");
        CryptoPrimitives primitives = provider.create();
        return new Identity(provider, primitives, primitives.randomBytes(GENERATED_SEED_BYTES));
    }

    /**
     * Returns the Ed25519 public key: the L2PS address.
     *
     * @return 32 bytes
     */
    public Bytes ed25519PublicKey() {
        return ed25519PublicKey;
    }

    /**
     * Returns the Ed25519 public key as L2PS frames carry it: lowercase hex, no {@code 0x}.
     *
     * @return 64 hex digits
     */
    public String ed25519PublicKeyHex() {
        return ed25519PublicKey.toHex();
    }

    /**
     * Returns the ML-DSA-65 public key.
     *
     * @return 1952 bytes
     */
    public Bytes mlDsaPublicKey() {
        return mlDsaPublicKey;
    }

    /**
     * Returns the ML-KEM-768 public key, which others seal messages to.
     *
     * @return 1184 bytes
     */
    public Bytes mlKemPublicKey() {
        return mlKemPublicKey;
    }

    /**
     * Returns the provider this identity's keys were derived with and its operations run on.
     *
     * @return the provider
     */
    public CryptoProvider provider() {
        return provider;
    }

    /**
     * Returns a copy of the master seed: everything needed to restore this identity. Secret.
     *
     * @return a new array
     */
    public byte[] exportMasterSeed() {
        return masterSeed.clone();
    }

    /**
     * Returns the SDK's per-algorithm HKDF seed ({@code UnifiedCrypto.deriveSeed(algorithm)}), for checking
     * interoperability with another implementation. Secret.
     *
     * @param algorithm {@code ed25519} (32 bytes, before the decimal-string quirk), {@code ml-dsa} (32),
     *     {@code ml-kem-aes} (64), {@code falcon} (48) or {@code rsa} (32)
     * @return a new array
     * @throws IllegalArgumentException for another algorithm name
     */
    public byte[] derivedSeed(String algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!KeyDerivation.isKnownAlgorithm(algorithm)) {
            throw new IllegalArgumentException("The SDK derives no seed for '" + algorithm
                    + "'; use ed25519, ml-dsa, ml-kem-aes, falcon or rsa.");
        }
        return KeyDerivation.seed(primitives, masterSeed, algorithm);
    }

    /**
     * Signs {@code message} with Ed25519 (pure, RFC 8032), over exactly these bytes.
     *
     * <p><b>API note:</b> The SDK's {@code unifiedCrypto.sign("ed25519", m)} first decodes {@code m} as UTF-8 text
     * and re-encodes it (§B.3). For valid UTF-8 without a leading byte-order mark, which includes every proof
     * string of the messaging protocols, the signatures are the same.
     *
     * @param message the message
     * @return the 64-byte signature
     */
    public byte[] signEd25519(byte[] message) {
        return primitives.ed25519Sign(ed25519Seed, Objects.requireNonNull(message, "message"));
    }

    /**
     * Signs {@code message} with ML-DSA-65 (pure, empty context, deterministic), as the SDK does.
     *
     * @param message the message
     * @return the 3309-byte signature
     */
    public byte[] signMlDsa(byte[] message) {
        return primitives.mlDsa65Sign(mlDsaSecretKey, Objects.requireNonNull(message, "message"));
    }

    /**
     * Opens a message sealed to this identity's ML-KEM-768 public key.
     *
     * @param message the sealed message
     * @return the plaintext
     * @throws CryptoException with {@code CRYPTO_DECRYPT_FAILED} if it was sealed to another key or altered
     */
    public byte[] open(SealedMessage message) {
        return MlKemAes.open(primitives, mlKemSecretKey, Objects.requireNonNull(message, "message"));
    }

    /**
     * Returns the public keys, never a secret, e.g.
     * {@code Identity[ed25519=d686d4f6…, mlDsa=Bytes[1952: 443cb1b0…], mlKem=Bytes[1184: b0f24387…], provider=bouncycastle]}.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "Identity[ed25519=" + HEX.formatHex(ed25519PublicKey.toByteArray()) + ", mlDsa=" + mlDsaPublicKey
                + ", mlKem=" + mlKemPublicKey + ", provider=" + provider.name() + "]";
    }
}
