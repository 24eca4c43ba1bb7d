package io.github.demosim.tck.crypto;

import io.github.demosim.spi.CryptoProvider;

/**
 * The contract every {@link CryptoProvider} must pass: all known answers of the TypeScript SDK byte for byte,
 * the sealing and signature properties, input validation, and wallet-text identities. A provider's test class
 * only implements it:
 *
 * <pre>{@code
 * class BouncyCastleCryptoContractTests implements CryptoContract {
 *     @Override
 *     public CryptoProvider provider() {
 *         return new BouncyCastleCryptoProvider();
 *     }
 * }
 * }</pre>
 */
public interface CryptoContract extends KnownAnswerContract, SealingContract, SignatureContract,
        InputValidationContract, WalletTextContract {

    /**
     * Returns the provider under test; called often, so return a cheap or cached instance.
     *
     * @return the provider
     */
    @Override
    CryptoProvider provider();
}
