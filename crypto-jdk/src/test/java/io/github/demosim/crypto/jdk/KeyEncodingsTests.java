package io.github.demosim.crypto.jdk;

import static io.github.demosim.crypto.jdk.KeyEncodings.Algorithm.ED25519;
import static io.github.demosim.crypto.jdk.KeyEncodings.Algorithm.ML_DSA_65;
import static io.github.demosim.crypto.jdk.KeyEncodings.Algorithm.ML_KEM_768;
import static io.github.demosim.crypto.jdk.KeyEncodings.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import net.jqwik.api.Example;
import net.jqwik.api.Label;

/**
 * The DER wrapping of raw keys is exactly the JDK's own encoding, and the private-key CHOICE is read in each of
 * its forms (draft-ietf-lamps-kyber-certificates, draft-ietf-lamps-dilithium-certificates).
 */
class KeyEncodingsTests {

    @Example
    @Label("wrapping the raw keys gives the JDK's own encodings, and unwrapping gives the raw keys back")
    void wrappingMatchesTheJdk() throws Exception {
        for (KeyEncodings.Algorithm algorithm : new KeyEncodings.Algorithm[] {ML_KEM_768, ML_DSA_65}) {
            KeyPair keys = generate(algorithm);
            byte[] publicKey = algorithm.rawPublicKey(keys.getPublic().getEncoded());
            byte[] secretKey = algorithm.rawSecretKey(keys.getPrivate().getEncoded());
            assertThat(publicKey).hasSize(algorithm.publicKeyBytes);
            assertThat(secretKey).hasSize(algorithm.secretKeyBytes);
            assertThat(algorithm.publicKeySpec(publicKey).getEncoded()).isEqualTo(keys.getPublic().getEncoded());
            assertThat(algorithm.secretKeySpec(secretKey).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
        }
        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] raw = ED25519.rawPublicKey(ed.getPublic().getEncoded());
        assertThat(ED25519.publicKeySpec(raw).getEncoded()).isEqualTo(ed.getPublic().getEncoded());
    }

    @Example
    @Label("the 'both' form gives its expanded key; the seed-only form names the property that fixes it")
    void privateKeyChoices() throws Exception {
        byte[] expanded = ML_DSA_65.rawSecretKey(generate(ML_DSA_65).getPrivate().getEncoded());
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x5a);
        byte[] both = concat(new byte[] {0x30, (byte) 0x82, 0x0f, (byte) 0xe6, 0x04, 0x20}, seed,
                new byte[] {0x04, (byte) 0x82, 0x0f, (byte) 0xc0}, expanded);
        assertThat(ML_DSA_65.rawSecretKey(pkcs8(ML_DSA_65, both))).isEqualTo(expanded);

        byte[] seedOnly = concat(new byte[] {(byte) 0x80, 0x20}, seed);
        assertThatThrownBy(() -> ML_DSA_65.rawSecretKey(pkcs8(ML_DSA_65, seedOnly)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("seed only").hasMessageContaining("jdk.mldsa.pkcs8.encoding");
        assertThatThrownBy(() -> ML_KEM_768.rawSecretKey(pkcs8(ML_DSA_65, both)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another algorithm");
        assertThatThrownBy(() -> ML_DSA_65.rawSecretKey(Arrays.copyOf(pkcs8(ML_DSA_65, both), 100)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not the DER");
        assertThatThrownBy(() -> ML_DSA_65.rawPublicKey(new byte[10]))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("unexpected form");
    }

    private static KeyPair generate(KeyEncodings.Algorithm algorithm) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.jdkName);
        return generator.generateKeyPair();
    }

    /** OneAsymmetricKey around a private-key CHOICE: the JDK 25 header with the OCTET STRING's length adjusted. */
    private static byte[] pkcs8(KeyEncodings.Algorithm algorithm, byte[] choice) {
        byte[] oid = algorithm == ML_DSA_65 ? new byte[] {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x12}
                : new byte[] {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x04, 0x02};
        byte[] body = concat(new byte[] {0x02, 0x01, 0x00, 0x30, 0x0b}, oid, der(0x04, choice));
        return der(0x30, body);
    }

    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] header = n < 0x80 ? new byte[] {(byte) tag, (byte) n}
                : new byte[] {(byte) tag, (byte) 0x82, (byte) (n >> 8), (byte) n};
        return concat(header, content);
    }
}
