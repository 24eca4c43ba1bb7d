package io.github.demosim.it;

import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.spi.CryptoProvider;

/** The two identities of the vectors (ts-sdk-2.9.1-vectors.json): alice = master seed 00..7f, bob = 80..ff. */
final class TestIdentities {
    static final CryptoProvider CRYPTO = CryptoProvider.find("bouncycastle");
    static final DemosCrypto DEMOS = DemosCrypto.create(CRYPTO);
    static final Identity ALICE = Identity.fromMasterSeed(seed(0x00), CRYPTO);
    static final Identity BOB = Identity.fromMasterSeed(seed(0x80), CRYPTO);
    static final Identity CAROL = Identity.fromMasterSeed(seed(0x11), CRYPTO);

    private TestIdentities() {
    }

    private static byte[] seed(int first) {
        byte[] s = new byte[128];
        for (int i = 0; i < s.length; i++) {
            s[i] = (byte) (first + i);
        }
        return s;
    }
}
