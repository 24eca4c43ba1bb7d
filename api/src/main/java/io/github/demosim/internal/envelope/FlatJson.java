package io.github.demosim.internal.envelope;

import io.github.demosim.internal.wire.Stringify;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The one JSON shape a signed envelope has: a single object whose members are strings and numbers, nothing
 * nested. Reads it strictly (RFC 8259 grammar, no duplicate member names, every string well-formed UTF-16, as
 * I-JSON and RFC 8785 require) and writes it in RFC 8785 (JCS) canonical form. Kept apart from the frame codec on
 * purpose: verification must not depend on which codec provider is installed, or on its leniency.
 */
final class FlatJson {
    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /**
     * Reads a JSON object of string and number members.
     *
     * @param text the text
     * @return the members in document order, strings as {@link String} and numbers as {@link BigDecimal}; empty
     *     if the text is anything else (not JSON, another value, a nested value, a duplicate name, a lone surrogate)
     */
    static Optional<Map<String, Object>> parse(String text) {
        try {
            FlatJson p = new FlatJson(text);
            Map<String, Object> members = p.object();
            p.whitespace();
            return p.pos == text.length() ? Optional.of(members) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes members in RFC 8785 form: names sorted by UTF-16 code units, no whitespace, strings escaped as
     * {@code JSON.stringify} does, integers as plain digits.
     *
     * @param members strings, and {@link Long} or integral {@link BigDecimal} numbers below 2^53
     * @return the canonical text
     * @throws IllegalArgumentException for a value JCS cannot write exactly here (a fraction, a huge number, a
     *     lone surrogate)
     */
    static String canonical(Map<String, ?> members) {
        StringBuilder out = new StringBuilder(256).append('{');
        boolean first = true;
        for (Map.Entry<String, ?> e : new TreeMap<>(members).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(quote(e.getKey())).append(':');
            Object v = e.getValue();
            if (v instanceof String s) {
                out.append(quote(s));
            } else if (v instanceof Long l) {
                out.append(safeInteger(BigDecimal.valueOf(l)));
            } else if (v instanceof BigDecimal d) {
                out.append(safeInteger(d));
            } else {
                throw new IllegalArgumentException("member '" + e.getKey() + "' is neither a string nor a number");
            }
        }
        return out.append('}').toString();
    }

    private static String quote(String s) {
        if (!Stringify.isWellFormed(s)) {
            throw new IllegalArgumentException("a string holds an unpaired surrogate, which RFC 8785 forbids");
        }
        return Stringify.quote(s);
    }

    /** Integers in [0, 2^53) print the same in JavaScript's Number::toString and here. */
    private static String safeInteger(BigDecimal d) {
        BigDecimal n = d.stripTrailingZeros();
        if (n.scale() > 0 || n.signum() < 0 || n.compareTo(BigDecimal.valueOf(1L << 53)) >= 0) {
            throw new IllegalArgumentException("number " + d.toPlainString() + " is not an integer in [0, 2^53)");
        }
        return n.toBigInteger().toString();
    }

    // ---- reading ----

    private Map<String, Object> object() {
        whitespace();
        expect('{');
        Map<String, Object> members = new LinkedHashMap<>();
        whitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            whitespace();
            String name = string();
            whitespace();
            expect(':');
            whitespace();
            Object value = peek() == '"' ? string() : number();
            if (members.put(name, value) != null) {
                throw new IllegalArgumentException("duplicate member " + name);
            }
            whitespace();
            char c = text.charAt(pos++);
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (!isHex(text, pos, 4)) {
                        throw new IllegalArgumentException("bad \\u escape");
                    }
                    out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
        String s = out.toString();
        if (!Stringify.isWellFormed(s)) {
            throw new IllegalArgumentException("unpaired surrogate");
        }
        return s;
    }

    private BigDecimal number() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            digits();
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
        return new BigDecimal(text.substring(start, pos));
    }

    private void digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        if (pos == start) {
            throw new IllegalArgumentException("digit expected");
        }
    }

    private void whitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return text.charAt(pos);
    }

    private void expect(char c) {
        if (text.charAt(pos++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    private static boolean isHex(String s, int from, int count) {
        for (int i = from; i < from + count; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
