package io.github.demosim;

/**
 * Several providers of one SPI are present and none was chosen.
 */
public class AmbiguousProviderException extends ImException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     * @param cause the underlying failure, or {@code null}
     */
    public AmbiguousProviderException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * Creates the exception without a cause.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     */
    public AmbiguousProviderException(ErrorCode code, String message) {
        super(code, message, null);
    }
}
