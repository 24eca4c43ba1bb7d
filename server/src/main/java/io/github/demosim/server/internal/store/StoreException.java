package io.github.demosim.server.internal.store;

/** A database operation failed; the request that needed it is answered with an internal error. */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed
     * @param cause the JDBC exception
     */
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
