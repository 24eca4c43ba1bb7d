package io.github.demosim.spi;

/**
 * The tokens of one JSON value, read from text by a codec's {@link JsonSyntax}: a pull parser that hands out one
 * token at a time. The grammar is the syntax's business; which members a frame has and what they mean is the
 * SDK's frame mapping, which drives this source.
 *
 * <p>The mapping calls {@link #next()} until the value is complete, and never past its end; the syntax then
 * checks that nothing but whitespace follows ({@link JsonSyntax#read}). A source is used by one thread, once.
 */
public interface JsonSource {

    /** A JSON token. A member is a {@link #NAME} followed by the tokens of its value. */
    enum Token {
        /** The start of an object. */
        BEGIN_OBJECT,
        /** The end of an object. */
        END_OBJECT,
        /** The start of an array. */
        BEGIN_ARRAY,
        /** The end of an array. */
        END_ARRAY,
        /** A member name; {@link #text()} is the name, unescaped. */
        NAME,
        /** A string; {@link #text()} is its value, unescaped. */
        STRING,
        /** A number; {@link #text()} is its literal as written. */
        NUMBER,
        /** {@code true} */
        TRUE,
        /** {@code false} */
        FALSE,
        /** {@code null} */
        NULL
    }

    /**
     * Advances to the next token.
     *
     * @return the token, never {@code null}
     * @throws io.github.demosim.CodecException with code {@code CODEC_MALFORMED_JSON} and the character offset
     *     where the text stops being JSON: a syntax error, text that is empty or ends before the value does, or a
     *     limit of the syntax exceeded (nesting, length of a string or number); never another exception of the
     *     JSON library
     */
    Token next();

    /**
     * Returns the text of the current token: the unescaped name of a {@link Token#NAME}, the unescaped value of a
     * {@link Token#STRING}, or the literal of a {@link Token#NUMBER} exactly as written ({@code 1.50},
     * {@code -0}, {@code 1E+2}), which must be valid JSON number syntax.
     *
     * @return the text; unspecified for other tokens
     */
    String text();

    /**
     * Returns the character offset of the current token in the text, for error reports.
     *
     * @return an offset from 0 to the text's length
     */
    long offset();
}
