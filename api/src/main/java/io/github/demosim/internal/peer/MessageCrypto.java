package io.github.demosim.internal.peer;

import io.github.demosim.Bytes;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.SignedObject;
import java.util.Optional;

/**
 * The Demos constructions a peer needs, bound to its identity (if it has one) and its crypto provider.
 * Implementations are thread-safe.
 */
public interface MessageCrypto {

    /** ml-kem-aes encryption of the UTF-8 {@code text} to {@code recipientKemPublicKey}, in the L2PS layout. */
    Encrypted sealL2ps(Bytes recipientKemPublicKey, String text);

    /** Decrypts an L2PS payload with the peer's ML-KEM key; empty when the peer has none or it does not open. */
    Optional<String> openL2ps(Encrypted encrypted);

    /** ml-kem-aes encryption of the UTF-8 {@code text}, as the legacy {@code message} object. */
    EncryptedObject sealLegacy(Bytes recipientKemPublicKey, String text);

    /**
     * Decrypts a legacy message with the peer's ML-KEM key.
     *
     * @throws io.github.demosim.CryptoException if it does not open
     */
    String openLegacy(EncryptedObject message);

    /** The peer's own ML-KEM-768 public key, if it has an identity. */
    Optional<Bytes> ownKemPublicKey();

    /** The legacy registration proof: the ML-DSA-65 signature of the own ML-KEM key. */
    SignedObject legacyRegistrationProof();

    /** The constructions, e.g. to verify envelope signatures. */
    io.github.demosim.crypto.DemosCrypto constructions();

    /**
     * Signs an envelope draft with the peer's identity (Ed25519 on L2PS, ML-DSA-65 on legacy).
     *
     * @throws io.github.demosim.CryptoException if the peer has no identity
     */
    io.github.demosim.crypto.MessageEnvelope signEnvelope(io.github.demosim.crypto.MessageEnvelope draft);
}
