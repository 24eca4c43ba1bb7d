package io.github.demosim;

/**
 * A cryptographic operation failed: a ciphertext that does not authenticate, a key or input of the wrong form, or a provider failure. Never carries secret material in its message.
 */
public class CryptoException extends ImException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     * @param cause the underlying failure, or {@code null}
     */
    public CryptoException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * Creates the exception without a cause.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     */
    public CryptoException(ErrorCode code, String message) {
        super(code, message, null);
    }
}
