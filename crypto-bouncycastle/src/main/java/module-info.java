/** The Bouncy Castle crypto provider. */
module io.github.demosim.crypto.bouncycastle {
    requires io.github.demosim;
}
