package io.github.demosim.server.internal.store;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

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

    /**
     * The message, and the innermost cause's where it says something the message does not: what H2 or the driver
     * wraps is often the part an operator needs ("The database has been closed" after
     * {@code java.io.IOException: No space left on device}).
     *
     * @return the message, with {@code " (cause: <innermost cause>)"} when it adds something
     */
    public String describe() {
        Throwable root = this;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (root.getCause() != null && seen.add(root)) {
            root = root.getCause();
        }
        String message = String.valueOf(getMessage());
        if (root == this || root.getMessage() != null && message.contains(root.getMessage())) {
            return message;
        }
        return message + " (cause: " + root + ")";
    }
}
