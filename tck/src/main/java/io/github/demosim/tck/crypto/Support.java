package io.github.demosim.tck.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.StringJoiner;

/** Byte helpers shared by the contracts. */
final class Support {
    private Support() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] filled(int length, int value) {
        byte[] out = new byte[length];
        Arrays.fill(out, (byte) value);
        return out;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Returns a copy with bit {@code bit} (0 = least significant bit of byte 0) inverted. */
    static byte[] flip(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }

    /** JavaScript's {@code Uint8Array.prototype.toString}: unsigned decimals joined by commas. */
    static String decimalString(byte[] bytes) {
        StringJoiner joined = new StringJoiner(",");
        for (byte b : bytes) {
            joined.add(Integer.toString(b & 0xff));
        }
        return joined.toString();
    }
}
