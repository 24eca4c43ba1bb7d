package io.github.demosim;

import java.util.Optional;

/**
 * Text could not be decoded into a frame, or a frame could not be encoded.
 *
 * <p>Carries where the problem is: {@link #path()} names the JSON field (for example
 * {@code payload.encrypted.ciphertext}), and {@link #offset()} the character offset for malformed JSON.
 * No exception of the underlying JSON library ever escapes a codec.
 */
public class CodecException extends ImException {
    private static final long serialVersionUID = 1L;

    /** The JSON path of the offending field, or {@code null}. */
    private final String path;
    /** The character offset of a syntax error, or -1. */
    private final long offset;

    /**
     * Creates the exception.
     *
     * @param code one of the {@code CODEC_*} codes
     * @param message what was wrong
     * @param path the JSON path of the offending field ({@code payload.to}), or {@code null}
     * @param offset the character offset of a syntax error, or {@code -1}
     * @param cause the underlying failure, or {@code null}
     */
    public CodecException(ErrorCode code, String message, String path, long offset, Throwable cause) {
        super(code, message, cause);
        this.path = path;
        this.offset = offset;
    }

    /**
     * Returns the JSON path of the field that was wrong, if the problem is in one field.
     *
     * @return the path such as {@code payload.encrypted.nonce}, or empty
     */
    public Optional<String> path() {
        return Optional.ofNullable(path);
    }

    /**
     * Returns the character offset of a JSON syntax error.
     *
     * @return the zero-based offset, or {@code -1} when not a syntax error
     */
    public long offset() {
        return offset;
    }
}
