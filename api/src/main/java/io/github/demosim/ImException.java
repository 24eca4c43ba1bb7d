package io.github.demosim;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

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
     * Finds the {@code ImException} that a future of this SDK failed with, inside the wrappers
     * {@link java.util.concurrent.CompletableFuture#join()} ({@link CompletionException}) and
     * {@link java.util.concurrent.Future#get()} ({@link ExecutionException}) put around it:
     *
     * <pre>{@code
     * try {
     *     peer.sendText(to, "hello").join();
     * } catch (CompletionException e) {
     *     ImException failure = ImException.unwrap(e).orElseThrow(() -> e);
     *     if (failure.code() == ErrorCode.KEY_NOT_FOUND) { ... }
     * }
     * }</pre>
     *
     * @param failure what was thrown, e.g. by {@code join()} or {@code get()}
     * @return the {@code ImException} that {@code failure} is or wraps; empty if it is something else (a
     *     cancellation, or an exception of your own code)
     */
    public static Optional<ImException> unwrap(Throwable failure) {
        Throwable t = Objects.requireNonNull(failure, "failure");
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof ImException im ? Optional.of(im) : Optional.empty();
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
