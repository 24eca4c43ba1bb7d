package io.github.demosim.crypto.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.tck.crypto.FixedRandom;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * What the TCK does not see: how the provider drives the JDK (its own randomness for the deterministic forms,
 * only the JDK's own JCA providers), and the edges where the JDK's API is narrower than the SPI (HKDF and
 * PBKDF2 on empty or non-UTF-8 inputs). Known answers marked "Python" come from {@code hashlib}/{@code hmac}, an
 * implementation independent of the JDK's.
 */
class JdkProviderTests {
    private static final HexFormat HEX = HexFormat.of();
    private final JdkCryptoProvider provider = new JdkCryptoProvider();

    @Example
    @Label("key generation and signing draw nothing from the primitives' SecureRandom")
    void deterministicOperationsUseTheirOwnRandomness() {
        CryptoPrimitives reference = provider.create();
        CryptoPrimitives empty = provider.create(new FixedRandom(new byte[0])); // throws if anything is drawn
        byte[] seed64 = new byte[64];
        byte[] seed32 = new byte[32];
        seed64[5] = 7;
        seed32[9] = 3;
        byte[] message = "message".getBytes(StandardCharsets.UTF_8);

        CryptoPrimitives.KeyPair mlKem = empty.mlKem768KeyPair(seed64);
        CryptoPrimitives.KeyPair mlDsa = empty.mlDsa65KeyPair(seed32);
        assertThat(mlKem.secretKey()).isEqualTo(reference.mlKem768KeyPair(seed64).secretKey());
        assertThat(mlDsa.secretKey()).isEqualTo(reference.mlDsa65KeyPair(seed32).secretKey());
        assertThat(empty.ed25519PublicKey(seed32)).isEqualTo(reference.ed25519PublicKey(seed32));
        assertThat(empty.mlDsa65Sign(mlDsa.secretKey(), message))
                .isEqualTo(reference.mlDsa65Sign(mlDsa.secretKey(), message));
        assertThat(empty.ed25519Sign(seed32, message)).isEqualTo(reference.ed25519Sign(seed32, message));
        assertThat(empty.mlKem768Decapsulate(mlKem.secretKey(), new byte[1088])).hasSize(32);
    }

    @Example
    @Label("only the JDK's own JCA providers are used, even when another one comes first")
    void otherJcaProvidersAreNeverUsed() {
        Provider hostile = new HostileProvider();
        Security.insertProviderAt(hostile, 1);
        try {
            assertThatThrownBy(() -> KeyPairGenerator.getInstance("ML-KEM"))
                    .as("an unpinned lookup would get the hostile provider").hasMessageContaining("hostile");

            Identity alice = Identity.fromMnemonic("abandon abandon abandon abandon abandon abandon abandon abandon "
                    + "abandon abandon abandon about", provider);
            DemosCrypto crypto = DemosCrypto.create(provider);
            byte[] plaintext = "hello".getBytes(StandardCharsets.UTF_8);
            SealedMessage sealed = crypto.seal(alice.mlKemPublicKey(), plaintext);
            assertThat(alice.open(sealed)).isEqualTo(plaintext);
            assertThat(crypto.verifyMlDsa(alice.mlDsaPublicKey(), plaintext,
                    io.github.demosim.Bytes.of(alice.signMlDsa(plaintext)))).isTrue();
            assertThat(crypto.verifyEd25519(alice.ed25519PublicKey(), plaintext,
                    io.github.demosim.Bytes.of(alice.signEd25519(plaintext)))).isTrue();
            assertThat(provider.create().hkdfSha256(new byte[1], new byte[1], new byte[1], 32)).hasSize(32);
        } finally {
            Security.removeProvider(hostile.getName());
        }
    }

    @Example
    @Label("HKDF-SHA256: RFC 5869 cases 1 and 3, and empty IKM, salt and info (Python)")
    void hkdfKnownAnswers() {
        CryptoPrimitives p = provider.create();
        byte[] ikm = new byte[22];
        java.util.Arrays.fill(ikm, (byte) 0x0b);
        assertThat(HEX.formatHex(p.hkdfSha256(ikm, HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42))).isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56"
                + "ecc4c5bf34007208d5b887185865");
        assertThat(HEX.formatHex(p.hkdfSha256(ikm, new byte[0], new byte[0], 42))).isEqualTo("8da4e775a563c18f715f802a063c"
                + "5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
        assertThat(HEX.formatHex(p.hkdfSha256(new byte[0], utf8("salt"), utf8("info"), 42))).isEqualTo("7aac7b8120501c2c"
                + "8e1ee50e6cde135361e99ceb9d8d406ac528b9e9175614c060cbc045f3b60edab70f");
        assertThat(HEX.formatHex(p.hkdfSha256(new byte[0], new byte[0], new byte[0], 32))).isEqualTo("eb70f01dede9afaf"
                + "a449eee1b1286504e1f62388b3f7dd4f956697b0e828fe18");
        assertThat(p.hkdfSha256(ikm, new byte[0], new byte[0], 255 * 32)).hasSize(255 * 32);
    }

    @Example
    @Label("PBKDF2-HMAC-SHA512: empty and non-UTF-8 passwords, output over several blocks (Python)")
    void pbkdf2KnownAnswers() {
        CryptoPrimitives p = provider.create();
        assertThat(HEX.formatHex(p.pbkdf2HmacSha512(new byte[0], utf8("salt"), 2, 64))).isEqualTo("cc5eacbb057f2a5982fc"
                + "e67bf70f79fccf4adf285f5cbae1a5a1c5df012a630a5cd035da88803f2a8b7ad7d3118025e9d848280b733c39c57a76d3fa895f244c");
        assertThat(HEX.formatHex(p.pbkdf2HmacSha512(HEX.parseHex("fffe80"), utf8("mnemonic"), 2048, 64))).isEqualTo(
                "f6934f737646a963c1aff9c89fa5213e4d142882c378ea9c955d1a62b6b6e52dd2447b97b0e31d27d659d09060f5b3ec76b24a7a"
                + "6e9431f2126d978d1d1f8ff9");
        assertThat(HEX.formatHex(p.pbkdf2HmacSha512(utf8("password"), utf8("NaCl"), 3, 150))).isEqualTo("0af93ffb0db76b"
                + "d9256c66584c5dea4ffb9344b79cd7e34fbecff9c4c90b635e7f6755865365af81ba3424a6d1351520ef1119425a0175884c834b"
                + "b7ca8ecd874c3045eb160cc4636e510bc95afa6f839d376d43c06ac4550329324cb63dc56477c73c37b5efe06a049ca9ce09b9720"
                + "20db3ca760ccbeccb20ba183aba310b948500ad9e0303a8cf1f624dbedbfeb3ed1ac500e53835");
    }

    @Property(tries = 60)
    @Label("PBKDF2-HMAC-SHA512 equals the JDK's PBKDF2WithHmacSHA512 wherever that can take the password")
    void pbkdf2MatchesTheJdkSecretKeyFactory(
            @ForAll @StringLength(min = 1, max = 40) @CharRange(from = ' ', to = '\ud7ff') String password,
            @ForAll @Size(min = 1, max = 32) byte[] salt, @ForAll @IntRange(min = 1, max = 40) int iterations,
            @ForAll @IntRange(min = 1, max = 200) int length) throws Exception {
        byte[] jdk = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8)).getEncoded();
        assertThat(provider.create().pbkdf2HmacSha512(utf8(password), salt, iterations, length)).isEqualTo(jdk);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A JCA provider that offers every algorithm the jdk provider asks for, and fails whenever it is used. No
     * digests: inside the JDK, HMAC (under HKDF and PBKDF2) and ML-KEM take theirs from the most preferred
     * provider, which is the JDK's behaviour and out of this provider's hands (docs/providers.md says so).
     */
    private static final class HostileProvider extends Provider {
        private static final long serialVersionUID = 1L;

        HostileProvider() {
            super("DemosHostile", "1", "offers what the jdk crypto provider uses, and fails");
            String[][] services = {{"KEM", "ML-KEM"}, {"KeyPairGenerator", "ML-KEM"}, {"KeyFactory", "ML-KEM"},
                {"KeyPairGenerator", "ML-DSA"}, {"KeyFactory", "ML-DSA"}, {"Signature", "ML-DSA"},
                {"KeyPairGenerator", "Ed25519"}, {"KeyFactory", "Ed25519"}, {"Signature", "Ed25519"},
                {"Cipher", "AES/GCM/NoPadding"}, {"KDF", "HKDF-SHA256"}, {"Mac", "HmacSHA512"}};
            for (String[] service : services) {
                putService(new Service(this, service[0], service[1], "none.Hostile", null, null) {
                    @Override
                    public Object newInstance(Object parameter) {
                        throw new ProviderException("the hostile provider was used for " + getType() + " " + getAlgorithm());
                    }
                });
            }
        }
    }
}
