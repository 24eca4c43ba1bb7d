package io.github.demosim.crypto.jdk;

import io.github.demosim.spi.CryptoProvider;
import io.github.demosim.tck.crypto.CryptoContract;

/** The TCK's crypto contract, known answers and properties, on the JDK provider. */
class JdkCryptoContractTests implements CryptoContract {
    private static final CryptoProvider PROVIDER = new JdkCryptoProvider();

    @Override
    public CryptoProvider provider() {
        return PROVIDER;
    }
}
