package io.github.demosim.internal.peer;

import io.github.demosim.Bytes;
import io.github.demosim.CryptoException;
import io.github.demosim.ErrorCode;
import io.github.demosim.Identity;
import io.github.demosim.crypto.DemosCrypto;
import io.github.demosim.crypto.SealedMessage;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.legacy.EncryptedObject;
import io.github.demosim.frame.legacy.SignedObject;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/** {@link MessageCrypto} on {@link DemosCrypto}, with the peer's {@link Identity} if it has one. */
public final class DemosMessageCrypto implements MessageCrypto {
    private final DemosCrypto crypto;
    private final Identity identity;

    /**
     * @param crypto the constructions
     * @param identity the peer's identity, or {@code null} when it signs with an external signer
     */
    public DemosMessageCrypto(DemosCrypto crypto, Identity identity) {
        this.crypto = Objects.requireNonNull(crypto, "crypto");
        this.identity = identity;
    }

    @Override
    public Encrypted sealL2ps(Bytes recipientKemPublicKey, String text) {
        return crypto.seal(recipientKemPublicKey, text.getBytes(StandardCharsets.UTF_8)).toL2psEncrypted();
    }

    @Override
    public Optional<String> openL2ps(Encrypted encrypted) {
        if (identity == null || encrypted.ephemeralKey() == null) {
            return Optional.empty();
        }
        try {
            byte[] plain = identity.open(SealedMessage.fromL2psEncrypted(encrypted));
            return Optional.of(new String(plain, StandardCharsets.UTF_8));
        } catch (CryptoException notForUs) {
            return Optional.empty();
        }
    }

    @Override
    public EncryptedObject sealLegacy(Bytes recipientKemPublicKey, String text) {
        return crypto.seal(recipientKemPublicKey, text.getBytes(StandardCharsets.UTF_8)).toEncryptedObject();
    }

    @Override
    public String openLegacy(EncryptedObject message) {
        return new String(requireIdentity().open(SealedMessage.fromEncryptedObject(message)), StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Bytes> ownKemPublicKey() {
        return identity == null ? Optional.empty() : Optional.of(identity.mlKemPublicKey());
    }

    @Override
    public SignedObject legacyRegistrationProof() {
        return crypto.legacyRegistrationProof(requireIdentity());
    }

    @Override
    public DemosCrypto constructions() {
        return crypto;
    }

    @Override
    public io.github.demosim.crypto.MessageEnvelope signEnvelope(io.github.demosim.crypto.MessageEnvelope draft) {
        return crypto.signEnvelope(requireIdentity(), draft);
    }

    private Identity requireIdentity() {
        if (identity == null) {
            throw new CryptoException(ErrorCode.CRYPTO_INVALID_INPUT, "This peer has no identity to decrypt or sign "
                    + "with; build it with identity(...)");
        }
        return identity;
    }
}
