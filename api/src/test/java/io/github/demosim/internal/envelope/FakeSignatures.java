package io.github.demosim.internal.envelope;

import io.github.demosim.Bytes;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.spi.CryptoProvider;
import java.security.MessageDigest;

/**
 * Stand-in signatures for testing the verifier's logic in the api module, which has no crypto provider: a "signature"
 * is SHA-256 of key and signing input, repeated to the real length. Real signatures are tested in module {@code it}.
 */
final class FakeSignatures implements DemosCrypto {

    /** Signs as the holder of {@code key} would with the fake scheme (legacy: also sets the key). */
    static MessageEnvelope sign(MessageEnvelope draft, Bytes key) {
        MessageEnvelope keyed = draft.profile() == MessageEnvelope.Profile.LEGACY ? draft.withSigningKey(key) : draft;
        return keyed.withSignature(signature(key, keyed.signingInput(),
                draft.profile() == MessageEnvelope.Profile.L2PS ? 64 : 3309));
    }

    private static Bytes signature(Bytes key, byte[] input, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.toByteArray());
            byte[] d = sha.digest(input);
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = d[i % d.length];
            }
            return Bytes.of(out);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verifyEnvelopeSignature(MessageEnvelope e) {
        return e.signature().isPresent() && e.signerKey().isPresent() && e.signature().get().equals(
                signature(e.signerKey().get(), e.signingInput(), e.signature().get().length()));
    }

    @Override
    public MessageEnvelope signEnvelope(Identity identity, MessageEnvelope draft) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CryptoProvider provider() {
        throw new UnsupportedOperationException();
    }

    @Override
    public SealedMessage seal(Bytes recipientMlKemPublicKey, byte[] plaintext) {
        throw new UnsupportedOperationException();
    }

    @Override
    public byte[] open(Identity recipient, SealedMessage message) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean verifyEd25519(Bytes publicKey, byte[] message, Bytes signature) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean verifyMlDsa(Bytes publicKey, byte[] message, Bytes signature) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String signL2psRegisterProof(Identity identity, long timestamp) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String signL2psHistoryProof(Identity identity, String peerKey, long timestamp) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean verifyL2psProof(String publicKeyHex, String proofMessage, String signatureHex) {
        throw new UnsupportedOperationException();
    }

    @Override
    public SignedObject legacyRegistrationProof(Identity identity) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean verifyLegacyRegistrationProof(SignedObject proof, Bytes expectedMlKemPublicKey) {
        throw new UnsupportedOperationException();
    }

    @Override
    public String messageHash(String from, String to, String content, long timestamp) {
        throw new UnsupportedOperationException();
    }
}
