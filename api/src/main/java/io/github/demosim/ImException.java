package io.github.demosim;

import java.util.Objects;

/**
 * The root of every exception the SDK throws on its own account. Unchecked, like {@code JsonException} and
 * Jackson 3's {@code JacksonException}: callers catch the subtype they can act on.
 *
 * <p>The message says what happened, with which value, and what to do next, and ends with
 * {@code [}{@link ErrorCode#id()}{@code ]}.
 */
public class ImException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The diagnostic code. */
    private final ErrorCode code;

    /**
     * Creates an exception.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do; the code is appended
     * @param cause the underlying failure, or {@code null}
     */
    public ImException(ErrorCode code, String message, Throwable cause) {
        super(message + " [" + Objects.requireNonNull(code, "code").id() + "]", cause);
        this.code = code;
    }

    /**
     * Creates an exception without a cause.
     *
     * @param code the diagnostic code
     * @param message what happened and what to do; the code is appended
     */
    public ImException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Returns the diagnostic code.
     *
     * @return the code, never {@code null}
     */
    public ErrorCode code() {
        return code;
    }
}
