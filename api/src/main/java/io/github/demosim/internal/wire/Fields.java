package io.github.demosim.internal.wire;

import io.github.demosim.Bytes;
import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.spi.JsonSource.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the members of one JSON object of a frame, failing with a {@link CodecException} that names the frame,
 * the member's path and what was expected. A JSON {@code null} counts as absent, except for members the
 * protocol relays verbatim ({@link #value}).
 */
final class Fields {
    private final Tape tape;
    private final int object;
    private final String path;
    private final String family;
    private final String type;
    private final Leniency leniency;

    /**
     * @param tape the document
     * @param object the index of the object on the tape
     * @param path its path in the frame, e.g. {@code payload.encrypted}
     * @param family what is being decoded, e.g. {@code L2PS client frame}
     * @param type the frame type, or {@code null} while reading the envelope
     * @param leniency what to accept of the wrong type
     */
    Fields(Tape tape, int object, String path, String family, String type, Leniency leniency) {
        this.tape = tape;
        this.object = object;
        this.path = path;
        this.family = family;
        this.type = type;
        this.leniency = leniency;
    }

    static CodecException invalid(String frame, String path, String problem) {
        return new CodecException(ErrorCode.CODEC_INVALID_FRAME, "Invalid " + frame + ": "
                + (path == null ? "" : path + " ") + problem, path, -1, null);
    }

    /** What is being decoded, for messages, e.g. {@code L2PS client frame 'send'}; built only on failure. */
    private String frame() {
        return type == null ? family : family + " '" + type + "'";
    }

    /** The whole object, for payloads relayed verbatim. */
    JsonValue.JsonObject whole() {
        return (JsonValue.JsonObject) tape.value(object);
    }

    String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private CodecException missing(String name, String expected) {
        return invalid(frame(), pathOf(name), "is missing; expected " + expected);
    }

    private CodecException wrongType(String name, String expected, int actual) {
        return wrongTypeAt(pathOf(name), expected, actual);
    }

    private CodecException wrongTypeAt(String where, String expected, int actual) {
        return invalid(frame(), where, "must be " + expected + ", but is " + tape.describe(actual));
    }

    /** The member's index on the tape, or -1 when absent or JSON null. */
    private int present(String name) {
        int at = tape.member(object, name);
        return tape.absent(at) ? -1 : at;
    }

    String string(String name) {
        String s = optionalString(name);
        if (s == null) {
            throw missing(name, "a string");
        }
        return s;
    }

    String optionalString(String name) {
        int at = present(name);
        if (at < 0) {
            return null;
        }
        if (tape.kind(at) == Token.STRING) {
            return tape.text(at);
        }
        String coerced = leniency.string(tape.value(at));
        if (coerced != null) {
            return coerced;
        }
        throw wrongType(name, "a string", at);
    }

    boolean bool(String name) {
        int at = present(name);
        if (at < 0) {
            throw missing(name, "true or false");
        }
        Token kind = tape.kind(at);
        if (kind == Token.TRUE || kind == Token.FALSE) {
            return kind == Token.TRUE;
        }
        throw wrongType(name, "true or false", at);
    }

    long integer(String name) {
        Long value = optionalInteger(name);
        if (value == null) {
            throw missing(name, "an integer");
        }
        return value;
    }

    Long optionalInteger(String name) {
        int at = present(name);
        if (at < 0) {
            return null;
        }
        Long value = integerAt(at);
        if (value == null) {
            throw wrongType(name, "an integer between -2^63 and 2^63-1", at);
        }
        return value;
    }

    Integer optionalInt(String name) {
        int at = present(name);
        if (at < 0) {
            return null;
        }
        Long value = integerAt(at);
        if (value == null || value != value.intValue()) {
            throw wrongType(name, "an integer between -2^31 and 2^31-1", at);
        }
        return value.intValue();
    }

    /** An integral number in any notation, else what the leniency makes of the value, else {@code null}. */
    private Long integerAt(int at) {
        Long value = tape.exactLong(at);
        return value != null ? value : leniency.integer(tape.value(at));
    }

    /**
     * A timestamp the reference never validates: an integral number (also written {@code 1709312400000.0} or
     * {@code 1.7093124E12}) is the value; anything else, which the reference would accept and ignore or
     * stringify into a proof that cannot match, reads as absent.
     */
    Long lenientTimestamp(String name) {
        int at = present(name);
        return at < 0 ? null : tape.exactLong(at);
    }

    /** A string the protocol ignores or only echoes (the {@code requestId}): other types read as absent. */
    String lenientString(String name) {
        int at = present(name);
        return at >= 0 && tape.kind(at) == Token.STRING ? tape.text(at) : null;
    }

    List<String> strings(String name) {
        List<String> values = optionalStrings(name);
        if (values == null) {
            throw missing(name, "an array of strings");
        }
        return values;
    }

    List<String> optionalStrings(String name) {
        int at = present(name);
        if (at < 0) {
            return null;
        }
        if (tape.kind(at) != Token.BEGIN_ARRAY) {
            throw wrongType(name, "an array of strings", at);
        }
        List<String> values = new ArrayList<>();
        int i = 0;
        for (int e = at + 1; tape.kind(e) != Token.END_ARRAY; e = tape.next(e), i++) {
            if (tape.kind(e) != Token.STRING) {
                throw wrongTypeAt(pathOf(name) + "[" + i + "]", "a string", e);
            }
            values.add(tape.text(e));
        }
        return values;
    }

    /** A member relayed verbatim: any value, JSON {@code null} included, but it must be there. */
    JsonValue value(String name) {
        int at = tape.member(object, name);
        if (at < 0) {
            throw missing(name, "a JSON value");
        }
        return tape.value(at);
    }

    Fields object(String name) {
        Fields fields = optionalObject(name);
        if (fields == null) {
            throw missing(name, "an object");
        }
        return fields;
    }

    Fields optionalObject(String name) {
        int at = present(name);
        if (at < 0) {
            return null;
        }
        if (tape.kind(at) == Token.BEGIN_OBJECT) {
            return new Fields(tape, at, pathOf(name), family, type, leniency);
        }
        throw wrongType(name, "an object", at);
    }

    List<Fields> objects(String name) {
        int at = present(name);
        if (at < 0) {
            throw missing(name, "an array of objects");
        }
        if (tape.kind(at) != Token.BEGIN_ARRAY) {
            throw wrongType(name, "an array of objects", at);
        }
        List<Fields> objects = new ArrayList<>();
        int i = 0;
        for (int e = at + 1; tape.kind(e) != Token.END_ARRAY; e = tape.next(e), i++) {
            String where = pathOf(name) + "[" + i + "]";
            if (tape.kind(e) != Token.BEGIN_OBJECT) {
                throw wrongTypeAt(where, "an object", e);
            }
            objects.add(new Fields(tape, e, where, family, type, leniency));
        }
        return objects;
    }

    /** Bytes written as a JSON array of integers 0..255, as the TypeScript SDK writes a Uint8Array. */
    Bytes bytes(String name) {
        int at = present(name);
        if (at < 0) {
            throw missing(name, "an array of integers 0..255");
        }
        if (tape.kind(at) != Token.BEGIN_ARRAY) {
            throw wrongType(name, "an array of integers 0..255", at);
        }
        byte[] bytes = new byte[tape.count(at)];
        int i = 0;
        for (int e = at + 1; tape.kind(e) != Token.END_ARRAY; e = tape.next(e), i++) {
            Integer b = tape.exactInt(e);
            if (b == null || b < 0 || b > 255) {
                throw wrongTypeAt(pathOf(name) + "[" + i + "]", "an integer 0..255", e);
            }
            bytes[i] = (byte) (int) b;
        }
        return Bytes.of(bytes);
    }

    /** The L2PS {@code encrypted} object: unknown members are kept, in order, for relaying. */
    Encrypted encrypted(String name) {
        Fields e = object(name);
        Map<String, JsonValue> extra = new LinkedHashMap<>();
        for (int m = e.object + 1; tape.kind(m) == Token.NAME; m = tape.next(m + 1)) {
            String member = tape.text(m);
            if (!member.equals("ciphertext") && !member.equals("nonce") && !member.equals("ephemeralKey")) {
                extra.put(member, tape.value(m + 1)); // a repeated name keeps its first place, its last value
            }
        }
        return new Encrypted(e.string("ciphertext"), e.string("nonce"), e.optionalString("ephemeralKey"), extra);
    }
}
