package io.github.demosim.crypto.bouncycastle;

import io.github.demosim.CryptoException;
import io.github.demosim.internal.primitives.JcaAesGcm;
import io.github.demosim.internal.primitives.PrimitiveChecks;
import io.github.demosim.spi.CryptoPrimitives;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.MLDSAParameters;
import org.bouncycastle.crypto.params.MLDSAPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLDSAPublicKeyParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.MLDSASigner;

/**
 * The primitives on Bouncy Castle's low-level API. Every Bouncy Castle object is made per call, so an
 * instance is thread-safe as long as its {@link SecureRandom} is. Every failure becomes a
 * {@link CryptoException}: length checks come first, with the expected and the actual length; whatever a
 * library call still throws is translated at the end of each method. The checks and their texts are the
 * api's {@link PrimitiveChecks}, shared with the {@code jdk} provider.
 */
final class BouncyCastlePrimitives implements CryptoPrimitives {
    private static final String WHERE = "inside Bouncy Castle";
    private final SecureRandom random;

    BouncyCastlePrimitives(SecureRandom random) {
        this.random = random;
    }

    @Override
    public KeyPair mlKem768KeyPair(byte[] seed64) {
        PrimitiveChecks.mlKemKeyPair(seed64);
        try {
            MLKEMPrivateKeyParameters sk = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, seed64);
            return new KeyPair(sk.getPublicKey(), sk.getEncoded());
        } catch (RuntimeException e) {
            throw failure("ML-KEM-768 key generation", e);
        }
    }

    @Override
    public Encapsulation mlKem768Encapsulate(byte[] publicKey) {
        PrimitiveChecks.mlKemEncapsulate(publicKey);
        MLKEMPublicKeyParameters pk;
        try {
            pk = new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, publicKey);
        } catch (IllegalArgumentException e) {
            // FIPS 203 input check: the key does not re-encode to itself (a coefficient >= q).
            throw PrimitiveChecks.invalidEncapsulationKey(e);
        }
        try {
            SecretWithEncapsulation enc = new MLKEMGenerator(random).generateEncapsulated(pk);
            return new Encapsulation(enc.getEncapsulation(), enc.getSecret());
        } catch (RuntimeException e) {
            throw failure("ML-KEM-768 encapsulation", e);
        }
    }

    @Override
    public byte[] mlKem768Decapsulate(byte[] secretKey, byte[] ciphertext) {
        PrimitiveChecks.mlKemDecapsulate(secretKey, ciphertext);
        MLKEMPrivateKeyParameters sk;
        try {
            sk = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, secretKey);
        } catch (IllegalArgumentException e) {
            throw PrimitiveChecks.malformedSecretKey("ML-KEM-768", e);
        }
        try {
            return new MLKEMExtractor(sk).extractSecret(ciphertext);
        } catch (RuntimeException e) {
            throw failure("ML-KEM-768 decapsulation", e);
        }
    }

    @Override
    public KeyPair mlDsa65KeyPair(byte[] seed32) {
        PrimitiveChecks.mlDsaKeyPair(seed32);
        try {
            MLDSAPrivateKeyParameters sk = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, seed32);
            return new KeyPair(sk.getPublicKey(), sk.getEncoded());
        } catch (RuntimeException e) {
            throw failure("ML-DSA-65 key generation", e);
        }
    }

    @Override
    public byte[] mlDsa65Sign(byte[] secretKey, byte[] message) {
        PrimitiveChecks.mlDsaSign(secretKey, message);
        MLDSAPrivateKeyParameters sk;
        try {
            sk = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, secretKey);
        } catch (IllegalArgumentException e) {
            throw PrimitiveChecks.malformedSecretKey("ML-DSA-65", e);
        }
        try {
            // A bare private key (no ParametersWithRandom) selects the deterministic variant, rnd = 0^32,
            // which is what @noble/post-quantum 0.4.1 does: signatures are reproducible byte for byte.
            MLDSASigner signer = new MLDSASigner();
            signer.init(true, sk);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        } catch (org.bouncycastle.crypto.CryptoException | RuntimeException e) {
            throw failure("ML-DSA-65 signing", e);
        }
    }

    @Override
    public boolean mlDsa65Verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (!PrimitiveChecks.mlDsaVerify(publicKey, message, signature)) {
            return false;
        }
        try {
            MLDSASigner verifier = new MLDSASigner();
            verifier.init(false, new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, publicKey));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            throw failure("ML-DSA-65 verification", e);
        }
    }

    @Override
    public byte[] ed25519PublicKey(byte[] seed32) {
        PrimitiveChecks.ed25519Seed(seed32);
        try {
            return new Ed25519PrivateKeyParameters(seed32, 0).generatePublicKey().getEncoded();
        } catch (RuntimeException e) {
            throw failure("Ed25519 key generation", e);
        }
    }

    @Override
    public byte[] ed25519Sign(byte[] seed32, byte[] message) {
        PrimitiveChecks.ed25519Sign(seed32, message);
        try {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(seed32, 0));
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        } catch (RuntimeException e) {
            throw failure("Ed25519 signing", e);
        }
    }

    @Override
    public boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (!PrimitiveChecks.ed25519Verify(publicKey, message, signature)) {
            return false;
        }
        Ed25519PublicKeyParameters pk;
        try {
            pk = new Ed25519PublicKeyParameters(publicKey, 0);
        } catch (IllegalArgumentException e) {
            return false; // not a point on the curve: no signature can verify under it
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, pk);
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            throw failure("Ed25519 verification", e);
        }
    }

    @Override
    public byte[] aesGcmEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        return JcaAesGcm.encrypt(null, key, iv, plaintext, WHERE);
    }

    @Override
    public byte[] aesGcmDecrypt(byte[] key, byte[] iv, byte[] bodyAndTag) {
        return JcaAesGcm.decrypt(null, key, iv, bodyAndTag, WHERE);
    }

    @Override
    public byte[] hkdfSha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        PrimitiveChecks.hkdfSha256(ikm, salt, info, length);
        try {
            HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
            hkdf.init(new HKDFParameters(ikm, salt, info));
            byte[] out = new byte[length];
            hkdf.generateBytes(out, 0, length);
            return out;
        } catch (RuntimeException e) {
            throw failure("HKDF-SHA256", e);
        }
    }

    @Override
    public byte[] sha256(byte[] data) {
        Objects.requireNonNull(data, "data");
        // The JDK's SHA-256, like AES-GCM below: HotSpot compiles it to the CPU's SHA instructions, about six
        // times faster than Bouncy Castle's pure-Java digest on a server hashing every message it admits.
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw failure("SHA-256", e); // every Java SE platform has SHA-256
        }
    }

    @Override
    public byte[] sha3_512(byte[] data) {
        return digest(new SHA3Digest(512), data);
    }

    @Override
    public byte[] pbkdf2HmacSha512(byte[] password, byte[] salt, int iterations, int length) {
        PrimitiveChecks.pbkdf2HmacSha512(password, salt, iterations, length);
        try {
            PKCS5S2ParametersGenerator pbkdf2 = new PKCS5S2ParametersGenerator(new SHA512Digest());
            pbkdf2.init(password, salt, iterations);
            return ((KeyParameter) pbkdf2.generateDerivedParameters(length * 8)).getKey();
        } catch (RuntimeException e) {
            throw failure("PBKDF2-HMAC-SHA512", e);
        }
    }

    @Override
    public byte[] randomBytes(int n) {
        return PrimitiveChecks.randomBytes(random, n, WHERE);
    }

    private static byte[] digest(Digest digest, byte[] data) {
        Objects.requireNonNull(data, "data");
        byte[] out = new byte[digest.getDigestSize()];
        digest.update(data, 0, data.length);
        digest.doFinal(out, 0);
        return out;
    }

    private static CryptoException failure(String operation, Exception cause) {
        return PrimitiveChecks.failure(operation, WHERE, cause);
    }
}
