package io.github.demosim;

import java.util.Optional;

/**
 * The server answered a request with an error frame.
 *
 * <p>{@link #serverCode()} is the code the server sent: for L2PS one of {@code INVALID_MESSAGE},
 * {@code REGISTRATION_REQUIRED}, {@code INVALID_PROOF}, {@code PEER_NOT_FOUND}, {@code L2PS_NOT_FOUND},
 * {@code L2PS_SUBMIT_FAILED}, {@code RATE_LIMITED}, {@code INTERNAL_ERROR}; for the legacy protocol its
 * {@code errorType}. {@link #serverMessage()} is the server's text, when it sent one.
 */
public class ServerErrorException extends ImException {
    private static final long serialVersionUID = 1L;

    /** The server's error code. */
    private final String serverCode;
    /** The server's message, or {@code null}. */
    private final String serverMessage;

    /**
     * Creates the exception.
     *
     * @param serverCode the code in the error frame
     * @param serverMessage the text in the error frame, or {@code null} if it had none
     * @param request what the failed request was, for the message (e.g. {@code send to 3d40…})
     */
    public ServerErrorException(String serverCode, String serverMessage, String request) {
        super(ErrorCode.SERVER_ERROR, "The server refused " + request + ": " + serverCode
                + (serverMessage == null ? "" : " (" + serverMessage + ")"));
        this.serverCode = serverCode;
        this.serverMessage = serverMessage;
    }

    /**
     * Returns the server's error code.
     *
     * @return the code, e.g. {@code INVALID_PROOF}
     */
    public String serverCode() {
        return serverCode;
    }

    /**
     * Returns the server's error text.
     *
     * @return the text, or empty when the frame had none
     */
    public Optional<String> serverMessage() {
        return Optional.ofNullable(serverMessage);
    }
}
