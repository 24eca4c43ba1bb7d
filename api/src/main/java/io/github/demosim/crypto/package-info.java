/**
 * The Demos cryptographic constructions, byte-compatible with the TypeScript SDK: {@code ml-kem-aes} sealing
 * ({@link io.github.demosim.crypto.SealedMessage} in its legacy and L2PS wire forms), signature checks, the L2PS
 * and legacy registration proofs, and the node's message hash ({@link io.github.demosim.crypto.DemosCrypto}).
 * Identities are {@link io.github.demosim.Identity}. See {@code docs/crypto.md}.
 */
package io.github.demosim.crypto;
