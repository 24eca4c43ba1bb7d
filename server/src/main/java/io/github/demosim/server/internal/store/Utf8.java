package io.github.demosim.server.internal.store;

/** UTF-8 lengths without encoding. */
final class Utf8 {
    private Utf8() {
    }

    /** The number of bytes {@code s} takes in UTF-8 (an unpaired surrogate counts as the 3 of its replacement). */
    static long length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** The stored size of a row made of these strings, saturated to an int. */
    static int size(String... parts) {
        long n = 0;
        for (String p : parts) {
            n += p == null ? 0 : length(p);
        }
        return (int) Math.min(Integer.MAX_VALUE, n);
    }
}
