package io.github.demosim;

/**
 * A WebSocket connection could not be opened, failed while open, or fell behind its listener.
 */
public class TransportException extends ImException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     * @param cause the underlying failure, or {@code null}
     */
    public TransportException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }

    /**
     * Creates the exception without a cause.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do
     */
    public TransportException(ErrorCode code, String message) {
        super(code, message, null);
    }
}
