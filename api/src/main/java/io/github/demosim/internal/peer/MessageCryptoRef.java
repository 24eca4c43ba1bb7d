package io.github.demosim.internal.peer;

import io.github.demosim.ImException;
import java.util.Optional;

/**
 * The peer's {@link MessageCrypto}, or why there is none (no crypto provider present for a peer that signs
 * with an external signer): the failure surfaces only when encryption is needed.
 */
public final class MessageCryptoRef {
    private final MessageCrypto crypto;
    private final ImException missing;

    private MessageCryptoRef(MessageCrypto crypto, ImException missing) {
        this.crypto = crypto;
        this.missing = missing;
    }

    /** A present crypto. */
    public static MessageCryptoRef of(MessageCrypto crypto) {
        return new MessageCryptoRef(crypto, null);
    }

    /** No crypto, for this reason. */
    public static MessageCryptoRef unavailable(ImException why) {
        return new MessageCryptoRef(null, why);
    }

    /** The crypto; throws the reason it is missing. */
    public MessageCrypto require() {
        if (crypto == null) {
            throw missing;
        }
        return crypto;
    }

    /** The crypto, if present. */
    public Optional<MessageCrypto> get() {
        return Optional.ofNullable(crypto);
    }
}
