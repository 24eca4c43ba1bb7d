package io.github.demosim.crypto.jdk;

import static io.github.demosim.crypto.jdk.KeyEncodings.Algorithm.ED25519;
import static io.github.demosim.crypto.jdk.KeyEncodings.Algorithm.ML_DSA_65;
import static io.github.demosim.crypto.jdk.KeyEncodings.Algorithm.ML_KEM_768;

import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.internal.primitives.JcaAesGcm;
import io.github.demosim.internal.primitives.PrimitiveChecks;
import io.github.demosim.spi.CryptoPrimitives;
import java.io.Serial;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Security;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.KDF;
import javax.crypto.KEM;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitives on the JDK's own providers, named explicitly so that no other installed JCA provider (Bouncy
 * Castle registered with {@code Security.addProvider}, say) is ever used in their place: {@code SunJCE} for
 * ML-KEM, AES-GCM, HKDF and HMAC; {@code SUN} for ML-DSA and the digests; {@code SunEC} for Ed25519.
 *
 * <p>The SPI works on raw encodings and the JDK on {@link java.security.Key} objects, so every call wraps or
 * unwraps a key ({@link KeyEncodings}). The deterministic forms the Demos constructions need are reached through
 * the randomness the JDK draws ({@link SeedRandom}): key generation from a seed, and ML-DSA signing with
 * {@code rnd} = 32 zero bytes. Every JCA object is made per call, so an instance is thread-safe as long as its
 * {@link SecureRandom} is. Every failure becomes a {@link CryptoException}: length checks first, with the expected
 * and the actual length; whatever the JDK still throws is translated at the end of each method. The checks and their
 * texts are the api's {@link PrimitiveChecks}, shared with the {@code bouncycastle} provider.
 */
final class JdkPrimitives implements CryptoPrimitives {
    private static final int SHA512_BYTES = 64;

    private final SecureRandom random;
    private final Provider sun;
    private final Provider sunJce;
    private final Provider sunEc;

    private JdkPrimitives(SecureRandom random, Provider sun, Provider sunJce, Provider sunEc) {
        this.random = random;
        this.sun = sun;
        this.sunJce = sunJce;
        this.sunEc = sunEc;
    }

    /**
     * Creates the primitives on the JDK providers installed in this JVM.
     *
     * @param random the source of randomness for encapsulation, IVs and {@link #randomBytes}
     * @return the primitives
     * @throws CryptoException if one of the JDK's providers was removed from the security configuration
     */
    static JdkPrimitives create(SecureRandom random) {
        return new JdkPrimitives(random, installed("SUN"), installed("SunJCE"), installed("SunEC"));
    }

    private static Provider installed(String name) {
        Provider provider = Security.getProvider(name);
        if (provider == null) {
            throw new CryptoException(ErrorCode.CRYPTO_PROVIDER_FAILURE, "The JDK's " + name + " security provider is "
                    + "not installed in this JVM (see the security.provider.N entries of java.security), and the 'jdk' "
                    + "crypto provider uses only the JDK's own implementations. Restore it, or use the 'bouncycastle' "
                    + "crypto provider.");
        }
        return provider;
    }

    // --- ML-KEM-768 (FIPS 203) ----------------------------------------------------------------------------------

    @Override
    public KeyPair mlKem768KeyPair(byte[] seed64) {
        PrimitiveChecks.mlKemKeyPair(seed64);
        // The JDK draws d, then z, 32 bytes each: ML-KEM.KeyGen_internal(d, z) of FIPS 203, Algorithm 16.
        return seededKeyPair(ML_KEM_768, "ML-KEM", sunJce, NamedParameterSpec.ML_KEM_768, seed64);
    }

    @Override
    public Encapsulation mlKem768Encapsulate(byte[] publicKey) {
        PrimitiveChecks.mlKemEncapsulate(publicKey);
        KEM.Encapsulator encapsulator;
        try {
            PublicKey key = KeyFactory.getInstance("ML-KEM", sunJce).generatePublic(ML_KEM_768.publicKeySpec(publicKey));
            encapsulator = KEM.getInstance("ML-KEM", sunJce).newEncapsulator(key, random);
        } catch (InvalidKeySpecException | InvalidKeyException e) {
            // FIPS 203 input check (§7.2): the key does not re-encode to itself (a coefficient >= q).
            throw PrimitiveChecks.invalidEncapsulationKey(e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("ML-KEM-768 encapsulation", e);
        }
        try {
            // Draws exactly the 32-byte message m from `random`: ML-KEM.Encaps_internal(ek, m).
            KEM.Encapsulated encapsulated = encapsulator.encapsulate();
            return new Encapsulation(encapsulated.encapsulation(), encapsulated.key().getEncoded());
        } catch (RuntimeException e) {
            throw failure("ML-KEM-768 encapsulation", e);
        }
    }

    @Override
    public byte[] mlKem768Decapsulate(byte[] secretKey, byte[] ciphertext) {
        PrimitiveChecks.mlKemDecapsulate(secretKey, ciphertext);
        KEM.Decapsulator decapsulator;
        try {
            PrivateKey key = KeyFactory.getInstance("ML-KEM", sunJce).generatePrivate(ML_KEM_768.secretKeySpec(secretKey));
            decapsulator = KEM.getInstance("ML-KEM", sunJce).newDecapsulator(key);
        } catch (InvalidKeySpecException | InvalidKeyException e) {
            throw PrimitiveChecks.malformedSecretKey("ML-KEM-768", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("ML-KEM-768 decapsulation", e);
        }
        try {
            return decapsulator.decapsulate(ciphertext).getEncoded();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("ML-KEM-768 decapsulation", e);
        }
    }

    // --- ML-DSA-65 (FIPS 204) -----------------------------------------------------------------------------------

    @Override
    public KeyPair mlDsa65KeyPair(byte[] seed32) {
        PrimitiveChecks.mlDsaKeyPair(seed32);
        // The JDK draws ξ (32 bytes): ML-DSA.KeyGen_internal(ξ) of FIPS 204, Algorithm 6.
        return seededKeyPair(ML_DSA_65, "ML-DSA", sun, NamedParameterSpec.ML_DSA_65, seed32);
    }

    /**
     * Key generation from a seed: the JDK's generator draws its seed from the {@code SecureRandom} given to
     * {@code initialize}, so one that hands out exactly {@code seed} (and checks it was drawn whole) gives the
     * FIPS key pair of that seed.
     */
    private KeyPair seededKeyPair(KeyEncodings.Algorithm algorithm, String family, Provider provider,
            NamedParameterSpec parameters, byte[] seed) {
        String operation = algorithm.jdkName + " key generation";
        try {
            SeedRandom source = SeedRandom.of(seed);
            KeyPairGenerator generator = KeyPairGenerator.getInstance(family, provider);
            generator.initialize(parameters, source);
            java.security.KeyPair keys = generator.generateKeyPair();
            source.requireDrained(operation);
            return new KeyPair(algorithm.rawPublicKey(keys.getPublic().getEncoded()),
                    algorithm.rawSecretKey(keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(operation, e);
        }
    }

    @Override
    public byte[] mlDsa65Sign(byte[] secretKey, byte[] message) {
        PrimitiveChecks.mlDsaSign(secretKey, message);
        Signature signer;
        try {
            PrivateKey key = KeyFactory.getInstance("ML-DSA", sun).generatePrivate(ML_DSA_65.secretKeySpec(secretKey));
            signer = Signature.getInstance("ML-DSA", sun);
            // The JDK signs hedged: it draws rnd (32 bytes) from this SecureRandom. All zeros is FIPS 204's
            // deterministic variant, what @noble/post-quantum 0.4.1 does, so signatures are reproducible byte for byte.
            signer.initSign(key, SeedRandom.zeros());
        } catch (InvalidKeySpecException | InvalidKeyException e) {
            throw PrimitiveChecks.malformedSecretKey("ML-DSA-65", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("ML-DSA-65 signing", e);
        }
        try {
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("ML-DSA-65 signing", e);
        }
    }

    @Override
    public boolean mlDsa65Verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (!PrimitiveChecks.mlDsaVerify(publicKey, message, signature)) {
            return false;
        }
        Signature verifier;
        try {
            PublicKey key = KeyFactory.getInstance("ML-DSA", sun).generatePublic(ML_DSA_65.publicKeySpec(publicKey));
            verifier = Signature.getInstance("ML-DSA", sun);
            verifier.initVerify(key);
        } catch (InvalidKeySpecException | InvalidKeyException e) {
            throw PrimitiveChecks.malformedPublicKey("ML-DSA-65", e);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("ML-DSA-65 verification", e);
        }
        try {
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // a signature that does not even decode (e.g. malformed hints) is not valid
        } catch (RuntimeException e) {
            throw failure("ML-DSA-65 verification", e);
        }
    }

    // --- Ed25519 (RFC 8032) -------------------------------------------------------------------------------------

    @Override
    public byte[] ed25519PublicKey(byte[] seed32) {
        PrimitiveChecks.ed25519Seed(seed32);
        try {
            // The JDK has no private-to-public derivation; its generator draws the 32-byte private key from the
            // SecureRandom given to initialize, and derives the public key from it (RFC 8032 §5.1.5).
            SeedRandom seed = SeedRandom.of(seed32);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", sunEc);
            generator.initialize(NamedParameterSpec.ED25519, seed);
            PublicKey key = generator.generateKeyPair().getPublic();
            seed.requireDrained("Ed25519 key generation");
            return ED25519.rawPublicKey(key.getEncoded());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("Ed25519 key generation", e);
        }
    }

    @Override
    public byte[] ed25519Sign(byte[] seed32, byte[] message) {
        PrimitiveChecks.ed25519Sign(seed32, message);
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519", sunEc)
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed32));
            Signature signer = Signature.getInstance("Ed25519", sunEc);
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("Ed25519 signing", e);
        }
    }

    @Override
    public boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (!PrimitiveChecks.ed25519Verify(publicKey, message, signature)) {
            return false;
        }
        Signature verifier;
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519", sunEc).generatePublic(ED25519.publicKeySpec(publicKey));
            verifier = Signature.getInstance("Ed25519", sunEc);
            verifier.initVerify(key);
        } catch (InvalidKeySpecException | InvalidKeyException e) {
            return false; // not a point on the curve: no signature can verify under it
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("Ed25519 verification", e);
        }
        try {
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false; // the JDK reports a key that is no curve point, or S >= L, only when verifying
        } catch (RuntimeException e) {
            throw failure("Ed25519 verification", e);
        }
    }

    // --- AES-256-GCM, HKDF, digests, PBKDF2 -----------------------------------------------------------------------

    @Override
    public byte[] aesGcmEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        return JcaAesGcm.encrypt(sunJce, key, iv, plaintext, where());
    }

    @Override
    public byte[] aesGcmDecrypt(byte[] key, byte[] iv, byte[] bodyAndTag) {
        return JcaAesGcm.decrypt(sunJce, key, iv, bodyAndTag, where());
    }

    @Override
    public byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        PrimitiveChecks.hkdfSha256(ikm, salt, info, length);
        try {
            // An empty IKM or salt is skipped by the builder, which RFC 5869 makes equivalent: HMAC pads any key
            // to the block size with zeros, so no salt, an empty salt and HashLen zero bytes give the same PRK.
            return KDF.getInstance("HKDF-SHA256", sunJce).deriveData(
                    HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt).thenExpand(info, length));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("HKDF-SHA256", e);
        }
    }

    @Override
    public byte[] sha256(byte[] data) {
        return digest("SHA-256", data);
    }

    @Override
    public byte[] sha3_512(byte[] data) {
        return digest("SHA3-512", data);
    }

    /**
     * PBKDF2-HMAC-SHA512 (RFC 8018 §5.2) on the JDK's HMAC. Not the JDK's {@code PBKDF2WithHmacSHA512} secret-key
     * factory: that takes the password as {@code char[]} and hashes its UTF-8 encoding, so it cannot take every
     * byte string the SPI allows (bytes that are not UTF-8 would not survive the round trip), nor an empty one.
     */
    @Override
    public byte[] pbkdf2HmacSha512(byte[] password, byte[] salt, int iterations, int length) {
        PrimitiveChecks.pbkdf2HmacSha512(password, salt, iterations, length);
        try {
            Mac hmac = Mac.getInstance("HmacSHA512", sunJce);
            hmac.init(new PasswordKey(password));
            byte[] out = new byte[length];
            byte[] u = new byte[SHA512_BYTES];
            byte[] t = new byte[SHA512_BYTES];
            for (int block = 1, at = 0; at < length; block++, at += SHA512_BYTES) {
                hmac.update(salt);
                hmac.update(new byte[] {(byte) (block >>> 24), (byte) (block >>> 16), (byte) (block >>> 8), (byte) block});
                hmac.doFinal(u, 0);
                System.arraycopy(u, 0, t, 0, SHA512_BYTES);
                for (int i = 1; i < iterations; i++) {
                    hmac.update(u);
                    hmac.doFinal(u, 0);
                    for (int j = 0; j < SHA512_BYTES; j++) {
                        t[j] ^= u[j];
                    }
                }
                System.arraycopy(t, 0, out, at, Math.min(SHA512_BYTES, length - at));
            }
            Arrays.fill(u, (byte) 0);
            Arrays.fill(t, (byte) 0);
            return out;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure("PBKDF2-HMAC-SHA512", e);
        }
    }

    @Override
    public byte[] randomBytes(int n) {
        return PrimitiveChecks.randomBytes(random, n, where());
    }

    private byte[] digest(String algorithm, byte[] data) {
        Objects.requireNonNull(data, "data");
        try {
            return MessageDigest.getInstance(algorithm, sun).digest(data);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw failure(algorithm, e);
        }
    }

    private static CryptoException failure(String operation, Exception cause) {
        return PrimitiveChecks.failure(operation, where(), cause);
    }

    private static String where() {
        return "inside the JDK (" + System.getProperty("java.vm.vendor") + " " + Runtime.version() + ")";
    }

    /**
     * An HMAC key of any bytes, the empty string included ({@link SecretKeySpec} refuses empty keys; RFC 2104
     * does not).
     */
    private record PasswordKey(byte[] bytes) implements SecretKey {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public String getAlgorithm() {
            return "HmacSHA512";
        }

        @Override
        public String getFormat() {
            return "RAW";
        }

        @Override
        public byte[] getEncoded() {
            return bytes.clone();
        }
    }
}
