package io.github.demosim.spi;

import io.github.demosim.internal.provider.Providers;
import java.security.SecureRandom;

/**
 * The cryptographic primitives the Demos constructions are built from. Implementations are stateless
 * factories found with {@link java.util.ServiceLoader}.
 *
 * <p>The Demos constructions themselves (identity derivation, ml-kem-aes, proofs) live once in the API, on
 * top of {@link CryptoPrimitives}, so every provider produces byte-identical results.
 */
public interface CryptoProvider {

    /**
     * Returns the name users select this provider by, e.g. {@code bouncycastle}.
     *
     * @return a short lowercase name
     */
    String name();

    /**
     * Creates primitives that draw randomness from a fresh {@link SecureRandom}.
     *
     * @return thread-safe primitives
     */
    default CryptoPrimitives create() {
        return create(new SecureRandom());
    }

    /**
     * Creates primitives that draw every random byte (KEM encapsulation, IVs, fresh seeds) from
     * {@code random}. Pass anything but a {@link SecureRandom} seeded by the system only in known-answer tests.
     *
     * @param random the source of randomness
     * @return thread-safe primitives if {@code random} is thread-safe
     */
    CryptoPrimitives create(SecureRandom random);

    /**
     * Finds the crypto provider to use: the one the system property {@code demos.im.crypto} names, else the
     * single one present.
     *
     * @return the provider
     * @throws io.github.demosim.ProviderNotFoundException if none is present
     * @throws io.github.demosim.AmbiguousProviderException if several are present and none is chosen
     * @throws io.github.demosim.UnknownProviderException if the property names no present provider
     */
    static CryptoProvider find() {
        return Providers.select(CryptoProvider.class, null);
    }

    /**
     * Finds the crypto provider with the given name.
     *
     * @param name the provider's {@link #name()}
     * @return the provider
     * @throws io.github.demosim.UnknownProviderException if no present provider has that name
     */
    static CryptoProvider find(String name) {
        return Providers.select(CryptoProvider.class, java.util.Objects.requireNonNull(name, "name"));
    }
}
