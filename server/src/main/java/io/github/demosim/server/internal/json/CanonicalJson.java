package io.github.demosim.server.internal.json;

import io.github.demosim.frame.JsonValue;
import java.util.Map;

/**
 * Writes a value as JavaScript's {@code JSON.stringify} does: compact, members in their order, strings with
 * only {@code "}, {@code \}, control characters and lone surrogates escaped, numbers in JavaScript form.
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
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * Appends a value to a builder.
     *
     * @param value the value
     * @param out the builder
     */
    public static void write(JsonValue value, StringBuilder out) {
        if (value instanceof JsonValue.JsonObject o) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> m : o.members().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(m.getKey(), out);
                out.append(':');
                write(m.getValue(), out);
            }
            out.append('}');
        } else if (value instanceof JsonValue.JsonArray a) {
            out.append('[');
            for (int i = 0; i < a.elements().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(a.elements().get(i), out);
            }
            out.append(']');
        } else if (value instanceof JsonValue.JsonString s) {
            string(s.value(), out);
        } else if (value instanceof JsonValue.JsonNumber n) {
            double d = n.value().doubleValue();
            out.append(Double.isFinite(d) ? JsNumber.toString(d) : "null"); // JSON.stringify(Infinity) is null
        } else if (value instanceof JsonValue.JsonBoolean b) {
            out.append(b.value());
        } else {
            out.append("null");
        }
    }

    /**
     * Appends a JSON string literal.
     *
     * @param s the text
     * @param out the builder
     */
    public static void string(String s, StringBuilder out) {
        out.append('"');
        if (plain(s)) {
            // The common case (hex keys, base64 payloads): nothing to escape, so copy the string in one go.
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
                    if (c < 0x20) {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c)) {
                        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            unicodeEscape(c, out); // well-formed JSON.stringify (ES2019)
                        }
                    } else if (Character.isLowSurrogate(c)) {
                        unicodeEscape(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Whether {@code s} has no character that {@link #string} escapes (or checks as a surrogate). */
    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }
}
