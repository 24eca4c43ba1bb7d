package io.github.demosim.server.internal.json;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.Stringify;

/**
 * Writes a value as JavaScript's {@code JSON.stringify} does, with the api's one writer for that
 * ({@link Stringify}): compact, members in their order, strings with only {@code "}, {@code \}, control
 * characters and lone surrogates escaped, numbers in JavaScript form.
 *
 * <p>Used for the text that goes into hashes (the L2PS transaction form, the legacy offline-message hash),
 * which must not depend on which JSON codec provider is installed. Frames on the wire go through the codec.
 */
public final class CanonicalJson {
    private CanonicalJson() {
    }

    /**
     * Writes a value.
     *
     * @param value the value
     * @return its {@code JSON.stringify} text
     */
    public static String write(JsonValue value) {
        return Stringify.write(value);
    }

    /**
     * Appends a value to a builder.
     *
     * @param value the value
     * @param out the builder
     */
    public static void write(JsonValue value, StringBuilder out) {
        Stringify.write(value, out);
    }

    /**
     * Appends a JSON string literal.
     *
     * @param s the text
     * @param out the builder
     */
    public static void string(String s, StringBuilder out) {
        Stringify.quote(s, out);
    }
}
