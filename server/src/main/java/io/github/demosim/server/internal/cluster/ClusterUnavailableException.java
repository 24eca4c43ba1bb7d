package io.github.demosim.server.internal.cluster;

/** The cluster's database could not be reached for a registration: the protocol answers with an internal error. */
public final class ClusterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps a failure.
     *
     * @param message what failed
     * @param cause why
     */
    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
