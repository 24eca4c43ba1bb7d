package io.github.demosim.internal.crypto;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.MessageEnvelope;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.legacy.SignedObject;
import io.github.demosim.internal.wire.Stringify;
import io.github.demosim.spi.CryptoPrimitives;
import io.github.demosim.spi.CryptoProvider;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Objects;

/** {@link DemosCrypto} on the primitives of one provider. */
public final class DefaultDemosCrypto implements DemosCrypto {
    /** The algorithm name of the legacy registration proof. */
    static final String ML_DSA = "ml-dsa";
    private static final HexFormat HEX = HexFormat.of();

    private final CryptoProvider provider;
    private final CryptoPrimitives primitives;

    /**
     * Creates the constructions.
     *
     * @param provider the provider, for {@link #provider()}
     * @param primitives primitives made by that provider
     */
    public DefaultDemosCrypto(CryptoProvider provider, CryptoPrimitives primitives) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.primitives = Objects.requireNonNull(primitives, "primitives");
    }

    @Override
    public CryptoProvider provider() {
        return provider;
    }

    @Override
    public SealedMessage seal(Bytes recipientMlKemPublicKey, byte[] plaintext) {
        return MlKemAes.seal(primitives, recipientMlKemPublicKey, plaintext);
    }

    @Override
    public byte[] open(Identity recipient, SealedMessage message) {
        Objects.requireNonNull(recipient, "recipient");
        return recipient.open(message);
    }

    @Override
    public boolean verifyEd25519(Bytes publicKey, byte[] message, Bytes signature) {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        return primitives.ed25519Verify(publicKey.toByteArray(), message, signature.toByteArray());
    }

    @Override
    public boolean verifyMlDsa(Bytes publicKey, byte[] message, Bytes signature) {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
        return primitives.mlDsa65Verify(publicKey.toByteArray(), message, signature.toByteArray());
    }

    @Override
    public MessageEnvelope signEnvelope(Identity identity, MessageEnvelope draft) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(draft, "draft");
        if (draft.profile() == MessageEnvelope.Profile.L2PS) {
            if (!draft.from().equals(identity.ed25519PublicKeyHex())) {
                throw new IllegalArgumentException("An L2PS envelope is signed by the key in its from, "
                        + draft.from() + ", not by " + identity.ed25519PublicKeyHex());
            }
            return draft.withSignature(Bytes.of(identity.signEd25519(draft.signingInput())));
        }
        MessageEnvelope keyed = draft.withSigningKey(identity.mlDsaPublicKey());
        return keyed.withSignature(Bytes.of(identity.signMlDsa(keyed.signingInput())));
    }

    @Override
    public boolean verifyEnvelopeSignature(MessageEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.signature().isEmpty() || envelope.signerKey().isEmpty()) {
            return false;
        }
        byte[] key = envelope.signerKey().get().toByteArray();
        byte[] input = envelope.signingInput();
        byte[] signature = envelope.signature().get().toByteArray();
        try {
            return envelope.profile() == MessageEnvelope.Profile.L2PS ? primitives.ed25519Verify(key, input, signature)
                    : primitives.mlDsa65Verify(key, input, signature);
        } catch (CryptoException e) {
            return false; // e.g. a key that is not a valid curve point: nothing verifies under it
        }
    }

    @Override
    public String signL2psRegisterProof(Identity identity, long timestamp) {
        Objects.requireNonNull(identity, "identity");
        return sign(identity, DemosCrypto.registerProofMessage(identity.ed25519PublicKeyHex(), timestamp));
    }

    @Override
    public String signL2psHistoryProof(Identity identity, String peerKey, long timestamp) {
        Objects.requireNonNull(identity, "identity");
        return sign(identity, DemosCrypto.historyProofMessage(peerKey, timestamp));
    }

    private static String sign(Identity identity, String proofMessage) {
        return HEX.formatHex(identity.signEd25519(proofMessage.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public boolean verifyL2psProof(String publicKeyHex, String proofMessage, String signatureHex) {
        if (publicKeyHex == null || proofMessage == null || signatureHex == null
                || publicKeyHex.length() != 64 || signatureHex.length() != 128) {
            return false;
        }
        try {
            return primitives.ed25519Verify(HEX.parseHex(publicKeyHex), proofMessage.getBytes(StandardCharsets.UTF_8),
                    HEX.parseHex(signatureHex));
        } catch (IllegalArgumentException | CryptoException e) {
            return false;
        }
    }

    @Override
    public SignedObject legacyRegistrationProof(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        Bytes message = identity.mlKemPublicKey();
        byte[] signature = identity.signMlDsa(message.toByteArray());
        return new SignedObject(ML_DSA, Bytes.of(signature).toBase64(), identity.mlDsaPublicKey().toBase64(),
                message.toBase64());
    }

    @Override
    public boolean verifyLegacyRegistrationProof(SignedObject proof, Bytes expectedMlKemPublicKey) {
        if (proof == null || !ML_DSA.equals(proof.algorithm()) || proof.serializedSignedData() == null
                || proof.serializedPublicKey() == null || proof.serializedMessage() == null) {
            return false;
        }
        try {
            Bytes signature = Bytes.fromBase64(proof.serializedSignedData());
            Bytes publicKey = Bytes.fromBase64(proof.serializedPublicKey());
            Bytes message = Bytes.fromBase64(proof.serializedMessage());
            if (publicKey.length() != CryptoPrimitives.ML_DSA_65_PUBLIC_KEY_BYTES
                    || expectedMlKemPublicKey != null && !expectedMlKemPublicKey.equals(message)) {
                return false;
            }
            return primitives.mlDsa65Verify(publicKey.toByteArray(), message.toByteArray(), signature.toByteArray());
        } catch (IllegalArgumentException | CryptoException e) {
            return false;
        }
    }

    @Override
    public String messageHash(String from, String to, String content, long timestamp) {
        String json = "{\"from\":" + Stringify.quote(Objects.requireNonNull(from, "from"))
                + ",\"to\":" + Stringify.quote(Objects.requireNonNull(to, "to"))
                + ",\"content\":" + Stringify.quote(Objects.requireNonNull(content, "content"))
                + ",\"timestamp\":" + timestamp + "}";
        return HEX.formatHex(primitives.sha256(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "DemosCrypto[" + provider.name() + "]";
    }
}
