package io.github.demosim.crypto.jdk;

import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The {@code jdk} crypto provider: the JDK's own ML-KEM-768 ({@code javax.crypto.KEM}), ML-DSA-65 and Ed25519
 * ({@code java.security.Signature}), AES-GCM, HKDF ({@code javax.crypto.KDF}), SHA-256, SHA3-512 and HMAC, on
 * JDK 25 and later, with no third-party library. Reproduces every known answer of the TypeScript SDK byte for
 * byte, as the {@code bouncycastle} provider does. Stateless; found with {@link java.util.ServiceLoader}.
 *
 * <p>Where it differs from the {@code bouncycastle} provider, see {@code docs/providers.md}: it is faster for
 * ML-KEM and ML-DSA, needs JDK 25, and uses only the JDK's {@code SUN}, {@code SunJCE} and {@code SunEC}
 * providers (never another JCA provider installed in the JVM).
 */
public final class JdkCryptoProvider implements CryptoProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public JdkCryptoProvider() {
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public CryptoPrimitives create(SecureRandom random) {
        return JdkPrimitives.create(Objects.requireNonNull(random, "random"));
    }

    @Override
    public String toString() {
        return "JdkCryptoProvider[jdk]";
    }
}
