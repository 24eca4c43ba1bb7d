package io.github.demosim;

import java.util.Objects;
import java.util.Optional;

/**
 * Something went wrong that the application should know about: the server sent an error frame, a received
 * message could not be decrypted, re-registration failed, or reconnection gave up.
 *
 * <p>Every error frame the server sends is reported here. When the peer attributed it to a pending request,
 * that request's future fails with the same exception and {@link #failedRequest()} is {@code true}; listeners
 * that only care about unsolicited errors can skip those.
 *
 * @param error what happened: a {@link ServerErrorException} for an error frame (its
 *     {@link ServerErrorException#serverCode() serverCode()} is the server's code), another
 *     {@link ImException} for a local failure
 * @param failedRequest whether the error also failed a pending request's future
 */
public record ErrorEvent(ImException error, boolean failedRequest) {

    /**
     * Creates the event.
     *
     * @param error what happened
     * @param failedRequest whether the error also failed a pending request
     */
    public ErrorEvent {
        Objects.requireNonNull(error, "error");
    }

    /**
     * Returns the server's error code when the error came from the server.
     *
     * @return e.g. {@code INVALID_PROOF} or {@code PEER_NOT_FOUND}; empty for local failures
     */
    public Optional<String> serverCode() {
        return error instanceof ServerErrorException s ? Optional.of(s.serverCode()) : Optional.empty();
    }
}
