package io.github.demosim.tck.crypto;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.spi.CryptoProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities and constructions the contract uses, made once per provider class: deriving ML-DSA and
 * ML-KEM keys costs milliseconds, and properties run hundreds of tries.
 *
 * @param crypto the constructions on the provider
 * @param alice the vectors' "alice": master seed {@code 00 01 … 7f}
 * @param bob the vectors' "bob": master seed {@code 80 81 … ff}
 */
record CryptoFixtures(DemosCrypto crypto, Identity alice, Identity bob) {
    private static final Map<Class<?>, CryptoFixtures> BY_PROVIDER = new ConcurrentHashMap<>();

    static CryptoFixtures of(CryptoProvider provider) {
        return BY_PROVIDER.computeIfAbsent(provider.getClass(), c -> new CryptoFixtures(DemosCrypto.create(provider),
                Identity.fromMasterSeed(counting(0), provider), Identity.fromMasterSeed(counting(128), provider)));
    }

    /** 128 bytes counting up from {@code first}. */
    static byte[] counting(int first) {
        byte[] seed = new byte[128];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (first + i);
        }
        return seed;
    }
}
