/** Bouncy Castle primitives for the Demos constructions: ML-KEM-768, ML-DSA-65, Ed25519, AES-GCM, HKDF. */
module io.github.demosim.crypto.bouncycastle {
    requires io.github.demosim;
    requires org.bouncycastle.provider;

    provides io.github.demosim.spi.CryptoProvider with io.github.demosim.crypto.bouncycastle.BouncyCastleCryptoProvider;
}
