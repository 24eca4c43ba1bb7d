package io.github.demosim.server.internal.store;

/** An insert hit a unique constraint (a message hash or proof already stored). */
public class DuplicateKeyException extends StoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was duplicated
     * @param cause the JDBC exception
     */
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
