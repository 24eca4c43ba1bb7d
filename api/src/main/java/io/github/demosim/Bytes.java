package io.github.demosim;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes with value semantics: keys, signatures and ciphertexts in records.
 *
 * <p>Instances are created with {@link #of(byte[])}, {@link #fromHex(String)} or {@link #fromBase64(String)};
 * {@link #toByteArray()} returns a copy. {@link #toString()} shows the length and a short hex prefix only,
 * so a {@code Bytes} holding a secret never prints it whole.
 */
public final class Bytes {
    private static final Bytes EMPTY = new Bytes(new byte[0]);
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Returns a {@code Bytes} holding a copy of {@code bytes}.
     *
     * @param bytes the bytes to copy
     * @return the value
     * @throws NullPointerException if {@code bytes} is {@code null}
     */
    public static Bytes of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone());
    }

    /**
     * Returns the empty value.
     *
     * @return a zero-length {@code Bytes}
     */
    public static Bytes empty() {
        return EMPTY;
    }

    /**
     * Parses hexadecimal text, in either case.
     *
     * @param hex an even number of hex digits
     * @return the value
     * @throws IllegalArgumentException if {@code hex} is not hexadecimal or has an odd length
     */
    public static Bytes fromHex(String hex) {
        Objects.requireNonNull(hex, "hex");
        return new Bytes(HEX.parseHex(hex));
    }

    /**
     * Parses standard base64 (RFC 4648 section 4), with or without padding; ASCII whitespace is ignored, as
     * the JavaScript {@code atob} the reference uses ignores it.
     *
     * @param base64 the text
     * @return the value
     * @throws IllegalArgumentException if the text holds a character outside the base64 alphabet
     */
    public static Bytes fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        String compact = base64.replaceAll("[\\t\\n\\f\\r ]", "");
        return new Bytes(Base64.getDecoder().decode(stripPadding(compact)));
    }

    private static String stripPadding(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Returns the number of bytes.
     *
     * @return the length
     */
    public int length() {
        return bytes.length;
    }

    /**
     * Returns the byte at {@code index}.
     *
     * @param index a position in {@code [0, length())}
     * @return the byte
     */
    public byte get(int index) {
        return bytes[index];
    }

    /**
     * Returns a copy of the bytes.
     *
     * @return a new array
     */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * Returns lowercase hexadecimal text.
     *
     * @return two hex digits per byte
     */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    /**
     * Returns standard base64 with padding, as the TypeScript SDK's {@code serializeUint8Array} writes it.
     *
     * @return the base64 text
     */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /**
     * Returns the length and at most the first four bytes in hex, e.g. {@code Bytes[1184: b0f24387…]}.
     *
     * @return a short description that never holds the whole value
     */
    @Override
    public String toString() {
        int shown = Math.min(4, bytes.length);
        return "Bytes[" + bytes.length + ": " + HEX.formatHex(bytes, 0, shown) + (bytes.length > shown ? "…]" : "]");
    }
}
