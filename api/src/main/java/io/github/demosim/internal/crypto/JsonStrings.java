package io.github.demosim.internal.crypto;

/**
 * JSON string literals exactly as ECMAScript's {@code JSON.stringify} writes them (QuoteJSONString), which is also
 * RFC 8785's (JCS) string form for well-formed strings. Used by the node's message hash and by signed envelopes.
 */
public final class JsonStrings {
    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private JsonStrings() {
    }

    /**
     * Quotes {@code s}: {@code "} and {@code \} escaped, the five short control escapes, other controls and
     * unpaired surrogates as lowercase {@code \}{@code uXXXX}; everything else, non-ASCII included, as is.
     */
    public static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
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
                    if (c < 0x20 || isUnpairedSurrogate(s, i)) {
                        out.append("\\u").append(HEX_DIGITS[c >> 12 & 0xf]).append(HEX_DIGITS[c >> 8 & 0xf])
                                .append(HEX_DIGITS[c >> 4 & 0xf]).append(HEX_DIGITS[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * Whether {@code s} is well-formed UTF-16 (no unpaired surrogate), which RFC 8785 requires of every string.
     *
     * @param s the string
     * @return {@code true} if every surrogate is paired
     */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (isUnpairedSurrogate(s, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
        }
        return false;
    }
}
