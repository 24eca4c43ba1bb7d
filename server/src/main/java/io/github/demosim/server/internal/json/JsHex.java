package io.github.demosim.server.internal.json;

/**
 * Hex decoding as the reference node does it ({@code hexToUint8Array} over JavaScript {@code parseInt}):
 * {@code floor(length / 2)} bytes, each pair parsed with {@code parseInt(pair, 16)}, where a pair that does
 * not start with a hex digit gives 0 and a pair like {@code "1z"} gives 1. So a 65-character key decodes to
 * 32 bytes and non-hex characters silently become zero bytes.
 */
public final class JsHex {
    private JsHex() {
    }

    /**
     * Decodes leniently, as the reference does.
     *
     * @param hex any text
     * @return the bytes
     */
    public static byte[] decodeLenient(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) parseIntRadix16(hex.substring(2 * i, 2 * i + 2));
        }
        return out;
    }

    /**
     * Decodes strictly: an even number of hex digits, nothing else.
     *
     * @param hex the text
     * @return the bytes, or {@code null} if the text is not strict hex
     */
    public static byte[] decodeStrict(String hex) {
        if (hex.length() % 2 != 0) {
            return null;
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') {
                return null; // Character.digit also accepts non-ASCII digits; the range check excludes them
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /**
     * Lowercase hex of bytes.
     *
     * @param bytes the bytes
     * @return hex text
     */
    public static String encode(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return out.toString();
    }

    /**
     * {@code parseInt(s, 16)} stored into a {@code Uint8Array}: leading whitespace skipped, an optional sign,
     * then as many hex digits as there are; none gives NaN, stored as 0; negative values wrap modulo 256.
     */
    private static int parseIntRadix16(String s) {
        int i = 0;
        while (i < s.length() && isJsWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int value = 0;
        boolean any = false;
        for (; i < s.length(); i++) {
            int d = hexDigit(s.charAt(i));
            if (d < 0) {
                break;
            }
            value = value * 16 + d;
            any = true;
        }
        if (!any) {
            return 0;
        }
        return (negative ? -value : value) & 0xff;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isJsWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000b' || c == '\f' || c == '\u00a0'
                || c == '\ufeff' || c == '\u1680' || (c >= '\u2000' && c <= '\u200a') || c == '\u2028'
                || c == '\u2029' || c == '\u202f' || c == '\u205f' || c == '\u3000';
    }
}
