/**
 * The {@code jdk} crypto provider: the Demos primitives on the JDK's own algorithms (JDK 25 and later),
 * with no third-party library: ML-KEM-768, ML-DSA-65, Ed25519, AES-GCM, HKDF, SHA-256, SHA3-512, PBKDF2.
 */
module io.github.demosim.crypto.jdk {
    requires io.github.demosim;

    provides io.github.demosim.spi.CryptoProvider with io.github.demosim.crypto.jdk.JdkCryptoProvider;
}
