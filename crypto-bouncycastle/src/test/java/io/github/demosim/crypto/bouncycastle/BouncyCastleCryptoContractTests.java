package io.github.demosim.crypto.bouncycastle;

import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.tck.crypto.CryptoContract;

/** The TCK's crypto contract, known answers and properties, on the Bouncy Castle provider. */
class BouncyCastleCryptoContractTests implements CryptoContract {
    private static final CryptoProvider PROVIDER = new BouncyCastleCryptoProvider();

    @Override
    public CryptoProvider provider() {
        return PROVIDER;
    }
}
