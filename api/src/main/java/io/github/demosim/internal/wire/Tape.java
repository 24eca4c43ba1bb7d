package io.github.demosim.internal.wire;

import io.github.demosim.CodecException;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.JsonSource;
import io.github.demosim.spi.JsonSource.Token;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JSON document as a flat list of tokens, what {@link FrameDecoder} reads frames from. It costs little more
 * than reading the tokens (no map per object; numbers stay literals until a member asks for one) and, unlike
 * decoding straight off the token stream, is indifferent to member order: a {@code payload} may come before its
 * {@code type}, and a repeated member's last value wins, as with {@code JSON.parse}. The whole text is read
 * before any frame rule is checked, so malformed JSON is always reported as such.
 *
 * <p>Token {@code i} has a kind and, for names, strings and numbers, a text; a {@code BEGIN_*} token also has
 * the index just past its matching {@code END_*}, so a value is skipped in one step. Values are addressed by the
 * index of their first token; the document's value is at 0.
 */
final class Tape {
    /** Deepest nesting read or written, as Jackson's default limit: deeper input is refused, not recursed into. */
    static final int MAX_DEPTH = 1_000;

    private static final Token[] TOKENS = Token.values();

    /** Token kinds as {@link Token#ordinal()}s: a byte array costs no reference store per token. */
    private byte[] kinds = new byte[32];
    private String[] texts = new String[32];
    private int[] ends = new int[32];
    private int size;

    private Tape() {
    }

    /**
     * Reads one value from a source.
     *
     * @param source the source, before its first token
     * @return the tape
     * @throws CodecException {@code CODEC_MALFORMED_JSON} if the source does, or the value nests too deep
     */
    static Tape read(JsonSource source) {
        Tape tape = new Tape();
        tape.read(source, source.next(), 0);
        return tape;
    }

    /**
     * Copies a tree, for decoding frames given as trees.
     *
     * @param value the tree
     * @param frame what is decoded, for the message if the tree nests too deep
     * @return the tape
     */
    static Tape of(JsonValue value, String frame) {
        Tape tape = new Tape();
        tape.copy(value, 0, frame);
        return tape;
    }

    private void read(JsonSource source, Token token, int depth) {
        switch (token) {
            case BEGIN_OBJECT, BEGIN_ARRAY -> {
                JsonTrees.checkDepth(source, depth);
                int begin = add(token, null);
                Token end = token == Token.BEGIN_OBJECT ? Token.END_OBJECT : Token.END_ARRAY;
                for (Token t = source.next(); t != end; t = source.next()) {
                    if (token == Token.BEGIN_OBJECT) {
                        if (t != Token.NAME) {
                            throw JsonTrees.unexpected(source, t);
                        }
                        add(t, source.text());
                        t = source.next();
                    }
                    read(source, t, depth + 1);
                }
                add(end, null);
                ends[begin] = size;
            }
            case STRING -> add(token, source.text());
            case NUMBER -> add(token, checkedNumber(source));
            case TRUE, FALSE, NULL -> add(token, null);
            default -> throw JsonTrees.unexpected(source, token);
        }
    }

    /**
     * The literal of the current number token. Only an exponent can put a literal out of {@link BigDecimal}'s
     * range; such a literal is refused here, where the offset is known, so that converting it later cannot fail.
     */
    private static String checkedNumber(JsonSource source) {
        String literal = source.text();
        for (int i = literal.length() - 1; i > 0; i--) {
            char c = literal.charAt(i);
            if (c == 'e' || c == 'E') {
                try {
                    new BigDecimal(literal);
                } catch (NumberFormatException e) {
                    throw JsonTrees.outOfRange(source, e);
                }
                break;
            }
        }
        return literal;
    }

    private void copy(JsonValue value, int depth, String frame) {
        if (value instanceof JsonValue.JsonObject || value instanceof JsonValue.JsonArray) {
            if (depth == MAX_DEPTH) {
                throw Fields.invalid(frame, null, "nests deeper than " + MAX_DEPTH + " levels");
            }
            boolean object = value instanceof JsonValue.JsonObject;
            int begin = add(object ? Token.BEGIN_OBJECT : Token.BEGIN_ARRAY, null);
            if (value instanceof JsonValue.JsonObject o) {
                for (Map.Entry<String, JsonValue> member : o.members().entrySet()) {
                    add(Token.NAME, member.getKey());
                    copy(member.getValue(), depth + 1, frame);
                }
            } else {
                for (JsonValue element : ((JsonValue.JsonArray) value).elements()) {
                    copy(element, depth + 1, frame);
                }
            }
            add(object ? Token.END_OBJECT : Token.END_ARRAY, null);
            ends[begin] = size;
        } else if (value instanceof JsonValue.JsonString s) {
            add(Token.STRING, s.value());
        } else if (value instanceof JsonValue.JsonNumber n) {
            add(Token.NUMBER, n.value().toString());
        } else if (value instanceof JsonValue.JsonBoolean b) {
            add(b.value() ? Token.TRUE : Token.FALSE, null);
        } else {
            add(Token.NULL, null);
        }
    }

    private int add(Token kind, String text) {
        if (size == kinds.length) {
            kinds = Arrays.copyOf(kinds, size * 2);
            texts = Arrays.copyOf(texts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
        }
        kinds[size] = (byte) kind.ordinal();
        texts[size] = text;
        return size++;
    }

    // ---------------------------------------------------------------- reading

    Token kind(int at) {
        return TOKENS[kinds[at]];
    }

    /** The name, string value or number literal at {@code at}. */
    String text(int at) {
        return texts[at];
    }

    /** The index just past the value at {@code at}. */
    int next(int at) {
        Token kind = kind(at);
        return kind == Token.BEGIN_OBJECT || kind == Token.BEGIN_ARRAY ? ends[at] : at + 1;
    }

    /**
     * Finds a member: the value of the last member with that name, as {@code JSON.parse} keeps it.
     *
     * @param object the index of an object
     * @param name the member name
     * @return the index of the value, or -1 if there is none
     */
    int member(int object, String name) {
        int found = -1;
        for (int m = object + 1; kind(m) == Token.NAME; m = next(m + 1)) {
            if (texts[m].equals(name)) {
                found = m + 1;
            }
        }
        return found;
    }

    /** The number of elements of the array at {@code array}. */
    int count(int array) {
        int n = 0;
        for (int e = array + 1; kind(e) != Token.END_ARRAY; e = next(e)) {
            n++;
        }
        return n;
    }

    /** The value at {@code at} as a tree. */
    JsonValue value(int at) {
        switch (kind(at)) {
            case BEGIN_OBJECT: {
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (int m = at + 1; kind(m) == Token.NAME; m = next(m + 1)) {
                    members.put(texts[m], value(m + 1)); // a repeated name keeps its first place, its last value
                }
                return new JsonValue.JsonObject(members);
            }
            case BEGIN_ARRAY: {
                List<JsonValue> elements = new ArrayList<>();
                for (int e = at + 1; kind(e) != Token.END_ARRAY; e = next(e)) {
                    elements.add(value(e));
                }
                return new JsonValue.JsonArray(elements);
            }
            case STRING:
                return new JsonValue.JsonString(texts[at]);
            case NUMBER:
                return new JsonValue.JsonNumber(decimal(texts[at]));
            case TRUE:
                return JsonValue.JsonBoolean.TRUE;
            case FALSE:
                return JsonValue.JsonBoolean.FALSE;
            default:
                return JsonValue.JsonNull.INSTANCE;
        }
    }

    /** Whether the value at {@code at} is absent ({@code at < 0}) or JSON {@code null}. */
    boolean absent(int at) {
        return at < 0 || kind(at) == Token.NULL;
    }

    /**
     * The integer value of the number at {@code at}, in any notation ({@code 5}, {@code 5.0}, {@code 5E0}).
     *
     * @return the value, or {@code null} if it is not a number, has a fraction or does not fit a {@code long}
     */
    Long exactLong(int at) {
        if (kind(at) != Token.NUMBER) {
            return null;
        }
        String literal = texts[at];
        long plain = plainInteger(literal);
        if (plain != NOT_PLAIN) {
            return plain; // the common case, without a BigDecimal
        }
        try {
            // Rejects fractions and overflow; cheap even for extreme exponents (precision checks come first).
            return new BigDecimal(literal).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /**
     * The {@code int} value of the number at {@code at}, in any notation.
     *
     * @return the value, or {@code null} if it is not a number, has a fraction or does not fit an {@code int}
     */
    Integer exactInt(int at) {
        Long value = exactLong(at);
        return value != null && value == value.intValue() ? value.intValue() : null;
    }

    /** The exact value of a number literal; a plain integer without parsing a decimal (same value and scale). */
    static BigDecimal decimal(String literal) {
        long plain = plainInteger(literal);
        return plain != NOT_PLAIN ? BigDecimal.valueOf(plain) : new BigDecimal(literal);
    }

    /** What {@link #plainInteger} returns for other literals; no literal of 18 digits or fewer has this value. */
    private static final long NOT_PLAIN = Long.MIN_VALUE;

    /**
     * The value of a literal that is an optional minus and 1 to 18 digits (always a {@code long}), in one pass;
     * {@link #NOT_PLAIN} for any other literal.
     */
    private static long plainInteger(String literal) {
        int length = literal.length();
        boolean negative = length > 0 && literal.charAt(0) == '-';
        int i = negative ? 1 : 0;
        if (length - i < 1 || length - i > 18) {
            return NOT_PLAIN;
        }
        long value = 0;
        for (; i < length; i++) {
            char c = literal.charAt(i);
            if (c < '0' || c > '9') {
                return NOT_PLAIN;
            }
            value = value * 10 + (c - '0');
        }
        return negative ? -value : value;
    }

    /** Describes the value at {@code at} for a message, short enough for a log line. */
    String describe(int at) {
        switch (kind(at)) {
            case STRING:
                return "the string \"" + preview(texts[at]) + "\"";
            case NUMBER:
                return "the number " + preview(new BigDecimal(texts[at]).toString());
            case TRUE:
                return "true";
            case FALSE:
                return "false";
            case BEGIN_OBJECT:
                return "an object";
            case BEGIN_ARRAY:
                return "an array";
            default:
                return "null";
        }
    }

    private static String preview(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
