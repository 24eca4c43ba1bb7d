package io.github.demosim.server.internal.json;

import io.github.demosim.frame.JsonValue;
import java.util.Map;

/**
 * Finds UTF-16 surrogates without their pair in parsed JSON. A frame arrives as valid UTF-8, which cannot carry
 * one, so only a {@code \\uD800}-style escape makes one; such a string cannot be written back as UTF-8 (it would
 * become {@code ?}), so the hardened server refuses it instead of storing what it cannot return byte for byte.
 */
public final class LoneSurrogates {
    /** The error text of a refused frame. */
    public static final String ERROR = "Invalid string: an unpaired UTF-16 surrogate escape (\\uD800-\\uDFFF "
            + "without its pair) cannot be stored and sent back unchanged";

    private LoneSurrogates() {
    }

    /**
     * Whether a parsed frame holds a lone surrogate in any string or member name.
     *
     * @param text the frame's text (a quick check: without a {@code \\u} escape there is none)
     * @param root the parsed frame
     * @return whether it does
     */
    public static boolean in(String text, JsonValue root) {
        return text.contains("\\u") && in(root);
    }

    private static boolean in(JsonValue v) {
        if (v instanceof JsonValue.JsonString s) {
            return lone(s.value());
        }
        if (v instanceof JsonValue.JsonArray a) {
            for (JsonValue e : a.elements()) {
                if (in(e)) {
                    return true;
                }
            }
        } else if (v instanceof JsonValue.JsonObject o) {
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                if (lone(e.getKey()) || in(e.getValue())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether a string holds a surrogate without its pair.
     *
     * @param s the string
     * @return whether it does
     */
    public static boolean lone(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
