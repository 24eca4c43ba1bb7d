package io.github.demosim.server.internal;

import io.github.demosim.Bytes;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.nio.charset.StandardCharsets;

/**
 * {@link ServerCrypto} on the installed crypto provider and the SDK's Demos constructions. Adds what a server
 * needs beyond {@link DemosCrypto}: the reference's distinction between a signature that does not verify and
 * one that cannot be checked at all (wrong lengths, unknown algorithm), which the reference servers report
 * with different error codes.
 */
final class ProviderCrypto implements ServerCrypto {
    private static final String ML_DSA = "ml-dsa";
    private static final String ED25519 = "ed25519";

    private final DemosCrypto demos;
    private final CryptoPrimitives primitives;

    private ProviderCrypto(DemosCrypto demos, CryptoPrimitives primitives) {
        this.demos = demos;
        this.primitives = primitives;
    }

    /** Finds the crypto provider (system property {@code demos.im.crypto}, else the single one present). */
    static ServerCrypto load() {
        CryptoProvider provider = CryptoProvider.find();
        return new ProviderCrypto(DemosCrypto.create(provider), provider.create());
    }

    @Override
    public boolean verifyEd25519(byte[] publicKey, String message, byte[] signature) {
        // node-forge's checks, with its texts (l2ps.md §4.4): these are "verification errors", not failures.
        if (publicKey.length != 32) {
            throw new IllegalArgumentException("TypeError: \"options.publicKey\" must have a byte length of 32");
        }
        if (signature.length != 64) {
            throw new IllegalArgumentException("TypeError: \"options.signature\" must have a byte length of 64");
        }
        return demos.verifyEd25519(Bytes.of(publicKey), message.getBytes(StandardCharsets.UTF_8), Bytes.of(signature));
    }

    @Override
    public boolean verifyLegacyRegistration(SignedObject proof, Bytes expectedKemKey) {
        Bytes signature = base64(proof.serializedSignedData(), "serializedSignedData");
        Bytes publicKey = base64(proof.serializedPublicKey(), "serializedPublicKey");
        Bytes message = base64(proof.serializedMessage(), "serializedMessage");
        if (expectedKemKey != null) {
            // Hardened: only the SDK's own form counts, bound to the key being registered.
            return ML_DSA.equals(proof.algorithm()) && demos.verifyLegacyRegistrationProof(proof, expectedKemKey);
        }
        switch (proof.algorithm()) {
            case ML_DSA -> {
                if (publicKey.length() != CryptoPrimitives.ML_DSA_65_PUBLIC_KEY_BYTES) {
                    throw new IllegalArgumentException("ML-DSA-65 public key must be "
                            + CryptoPrimitives.ML_DSA_65_PUBLIC_KEY_BYTES + " bytes, was " + publicKey.length());
                }
                return demos.verifyMlDsa(publicKey, message.toByteArray(), signature);
            }
            case ED25519 -> {
                if (publicKey.length() != 32) {
                    throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, was " + publicKey.length());
                }
                // The reference verifies over utf8(TextDecoder(message)): invalid UTF-8 becomes U+FFFD.
                String decoded = new String(message.toByteArray(), StandardCharsets.UTF_8);
                if (decoded.startsWith("\uFEFF")) {
                    decoded = decoded.substring(1); // TextDecoder strips a leading BOM
                }
                return signature.length() == 64
                        && demos.verifyEd25519(publicKey, decoded.getBytes(StandardCharsets.UTF_8), signature);
            }
            default -> throw new IllegalArgumentException("unsupported proof algorithm: " + proof.algorithm()
                    + " (this server verifies ml-dsa and ed25519)");
        }
    }

    private static Bytes base64(String text, String field) {
        try {
            return Bytes.fromBase64(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " is not base64", e);
        }
    }

    @Override
    public byte[] sha256(byte[] data) {
        return primitives.sha256(data);
    }

    @Override
    public byte[] ed25519Sign(byte[] seed, byte[] message) {
        return primitives.ed25519Sign(seed, message);
    }

    @Override
    public byte[] randomBytes(int n) {
        return primitives.randomBytes(n);
    }
}
