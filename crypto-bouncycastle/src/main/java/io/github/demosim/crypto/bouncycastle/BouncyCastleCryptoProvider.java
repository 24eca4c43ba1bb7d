package io.github.demosim.crypto.bouncycastle;

import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The {@code bouncycastle} crypto provider: Bouncy Castle's low-level ML-KEM-768, ML-DSA-65, Ed25519, HKDF,
 * SHA3 and PBKDF2 classes, and the JDK's SHA-256 and AES-GCM. Stateless; found with
 * {@link java.util.ServiceLoader}.
 */
public final class BouncyCastleCryptoProvider implements CryptoProvider {

    /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
    public BouncyCastleCryptoProvider() {
    }

    @Override
    public String name() {
        return "bouncycastle";
    }

    @Override
    public CryptoPrimitives create(SecureRandom random) {
        return new BouncyCastlePrimitives(Objects.requireNonNull(random, "random"));
    }

    @Override
    public String toString() {
        return "BouncyCastleCryptoProvider[bouncycastle]";
    }
}
