package io.github.demosim.server.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Ed25519 keys and signatures from the JDK's own provider, so the tests sign proofs independently of the
 * SDK crypto the server verifies with.
 */
public final class Ed25519Key {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] seed;
    private final String publicKeyHex;
    private final PrivateKey privateKey;

    private Ed25519Key(byte[] seed) {
        this.seed = seed.clone();
        try {
            privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(NamedParameterSpec.ED25519, new FixedRandom(seed));
            byte[] x509 = g.generateKeyPair().getPublic().getEncoded();
            publicKeyHex = HexFormat.of().formatHex(Arrays.copyOfRange(x509, x509.length - 32, x509.length));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key from a 32-byte seed. */
    public static Ed25519Key fromSeed(byte[] seed) {
        return new Ed25519Key(seed);
    }

    /** A key from a hex seed. */
    public static Ed25519Key fromSeedHex(String hex) {
        return new Ed25519Key(HexFormat.of().parseHex(hex));
    }

    /** A fresh random key. */
    public static Ed25519Key random() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return new Ed25519Key(seed);
    }

    /** RFC 8032 test 1 ("Alice" in l2ps.md). */
    public static Ed25519Key alice() {
        return fromSeedHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    }

    /** RFC 8032 test 2 ("Bob" in l2ps.md). */
    public static Ed25519Key bob() {
        return fromSeedHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb");
    }

    public String publicKeyHex() {
        return publicKeyHex;
    }

    /** Lowercase hex of the signature over the UTF-8 of a message. */
    public String sign(String message) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] seed() {
        return seed.clone();
    }

    /** Hands out the seed as the key generator's "random" private key. */
    private static final class FixedRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] bytes;

        FixedRandom(byte[] bytes) {
            this.bytes = bytes.clone();
        }

        @Override
        public void nextBytes(byte[] out) {
            System.arraycopy(bytes, 0, out, 0, out.length);
        }
    }
}
