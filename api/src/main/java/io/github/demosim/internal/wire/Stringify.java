package io.github.demosim.internal.wire;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.JsonSink;
import java.math.BigDecimal;

/**
 * JSON exactly as ECMAScript's {@code JSON.stringify} writes it: compact; strings with {@code "}, {@code \},
 * the five short control escapes, other control characters and lone surrogates as lowercase
 * {@code \}{@code uXXXX}, everything else (non-ASCII included) as is; numbers as JavaScript prints them
 * ({@link JsNumber}, and {@code null} for values beyond the double range, as {@code JSON.stringify(Infinity)}).
 *
 * <p>This is the project's one JSON string escaper. It writes what must not depend on the installed codec: the
 * texts the Demos constructions hash or sign, the server's hashes, the reference server's exact bytes
 * ({@link FrameEncoder} into this sink), the CLI's output lines. Frames a client sends go through its codec.
 *
 * <p>As a {@link JsonSink} it appends one value to a {@link StringBuilder}; not thread-safe.
 */
public final class Stringify implements JsonSink {
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    /** The largest magnitude up to which every {@code long} is a JavaScript number exactly, 2^53. */
    private static final long EXACT = 1L << 53;

    private final StringBuilder out;
    /** Whether a value was written at the current level, so the next one needs a comma. */
    private boolean comma;

    /**
     * Creates a sink that appends to {@code out}.
     *
     * @param out the builder
     */
    public Stringify(StringBuilder out) {
        this.out = out;
    }

    /**
     * Writes a value.
     *
     * @param value the value
     * @return its {@code JSON.stringify} text
     */
    public static String write(JsonValue value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * Appends a value.
     *
     * @param value the value
     * @param out the builder
     */
    public static void write(JsonValue value, StringBuilder out) {
        JsonTrees.write(value, new Stringify(out));
    }

    /**
     * Quotes a string; {@code null} gives {@code null}, as {@code JSON.stringify(null)}.
     *
     * @param s the text, or {@code null}
     * @return the JSON string literal, or {@code null}
     */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2);
        quote(s, out);
        return out.toString();
    }

    /**
     * Appends a string literal.
     *
     * @param s the text
     * @param out the builder
     */
    public static void quote(String s, StringBuilder out) {
        out.append('"');
        if (plain(s)) {
            // The common case (hex keys, base64 payloads, ids): nothing to escape, so copy the string in one go.
            out.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || loneSurrogate(s, i)) {
                        out.append("\\u").append(HEX_DIGITS[c >> 12 & 0xf]).append(HEX_DIGITS[c >> 8 & 0xf])
                                .append(HEX_DIGITS[c >> 4 & 0xf]).append(HEX_DIGITS[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether {@code s} has no character that {@link #quote} escapes (or checks as a surrogate). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} is well-formed UTF-16 (no lone surrogate), which RFC 8785 requires of every string
     * a signed envelope holds.
     *
     * @param s the text
     * @return {@code true} if every surrogate is paired
     */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (loneSurrogate(s, i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the surrogate at {@code i} has no partner: well-formed {@code JSON.stringify} (ES2019) escapes it. */
    private static boolean loneSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }

    private void separate() {
        if (comma) {
            out.append(',');
        }
    }

    @Override
    public void beginObject() {
        separate();
        out.append('{');
        comma = false;
    }

    @Override
    public void name(String name) {
        separate();
        quote(name, out);
        out.append(':');
        comma = false;
    }

    @Override
    public void endObject() {
        out.append('}');
        comma = true;
    }

    @Override
    public void beginArray() {
        separate();
        out.append('[');
        comma = false;
    }

    @Override
    public void endArray() {
        out.append(']');
        comma = true;
    }

    @Override
    public void string(String value) {
        separate();
        quote(value, out);
        comma = true;
    }

    @Override
    public void number(long value) {
        separate();
        if (-EXACT <= value && value <= EXACT) {
            out.append(value);
        } else {
            out.append(JsNumber.toString((double) value)); // what a JavaScript number of this value prints
        }
        comma = true;
    }

    @Override
    public void number(BigDecimal value) {
        separate();
        double d = value.doubleValue();
        out.append(Double.isFinite(d) ? JsNumber.toString(d) : "null");
        comma = true;
    }

    @Override
    public void bool(boolean value) {
        separate();
        out.append(value);
        comma = true;
    }

    @Override
    public void nullValue() {
        separate();
        out.append("null");
        comma = true;
    }
}
