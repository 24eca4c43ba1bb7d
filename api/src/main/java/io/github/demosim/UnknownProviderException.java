package io.github.demosim;

/**
 * A provider was chosen by a name (builder argument or system property) that no present provider has.
 */
public class UnknownProviderException extends ImException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     * @param cause the underlying failure, or {@code null}
     */
    public UnknownProviderException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * Creates the exception without a cause.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     */
    public UnknownProviderException(ErrorCode code, String message) {
        super(code, message, null);
    }
}
