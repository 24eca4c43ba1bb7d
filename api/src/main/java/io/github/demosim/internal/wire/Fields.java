package io.github.demosim.internal.wire;

import io.github.demosim.Bytes;
import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import java.math.BigDecimal;
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
    private static final int PREVIEW = 40;

    private final JsonValue.JsonObject object;
    private final String path;
    private final String frame;

    /**
     * @param object the object
     * @param path its path in the frame, e.g. {@code payload.encrypted}
     * @param frame what is being decoded, for messages, e.g. {@code L2PS client frame 'send'}
     */
    Fields(JsonValue.JsonObject object, String path, String frame) {
        this.object = object;
        this.path = path;
        this.frame = frame;
    }

    static CodecException invalid(String frame, String path, String problem) {
        return new CodecException(ErrorCode.CODEC_INVALID_FRAME, "Invalid " + frame + ": "
                + (path == null ? "" : path + " ") + problem, path, -1, null);
    }

    /** Describes a value for a message, short enough for a log line. */
    static String describe(JsonValue value) {
        if (value instanceof JsonValue.JsonString s) {
            String text = s.value();
            return "the string \"" + (text.length() > PREVIEW ? text.substring(0, PREVIEW) + "…" : text) + "\"";
        }
        if (value instanceof JsonValue.JsonNumber n) {
            String text = n.value().toString();
            return "the number " + (text.length() > PREVIEW ? text.substring(0, PREVIEW) + "…" : text);
        }
        if (value instanceof JsonValue.JsonBoolean b) {
            return String.valueOf(b.value());
        }
        if (value instanceof JsonValue.JsonObject) {
            return "an object";
        }
        if (value instanceof JsonValue.JsonArray) {
            return "an array";
        }
        return "null";
    }

    /** The whole object, for payloads relayed verbatim. */
    JsonValue.JsonObject whole() {
        return object;
    }

    String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private CodecException missing(String name, String expected) {
        return invalid(frame, pathOf(name), "is missing; expected " + expected);
    }

    private CodecException wrongType(String name, String expected, JsonValue actual) {
        return wrongTypeAt(pathOf(name), expected, actual);
    }

    private CodecException wrongTypeAt(String where, String expected, JsonValue actual) {
        return invalid(frame, where, "must be " + expected + ", but is " + describe(actual));
    }

    /** The member, or {@code null} when absent or JSON null. */
    private JsonValue present(String name) {
        JsonValue v = object.members().get(name);
        return v instanceof JsonValue.JsonNull ? null : v;
    }

    String string(String name) {
        String s = optionalString(name);
        if (s == null) {
            throw missing(name, "a string");
        }
        return s;
    }

    String optionalString(String name) {
        JsonValue v = present(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonValue.JsonString s) {
            return s.value();
        }
        throw wrongType(name, "a string", v);
    }

    boolean bool(String name) {
        JsonValue v = present(name);
        if (v == null) {
            throw missing(name, "true or false");
        }
        if (v instanceof JsonValue.JsonBoolean b) {
            return b.value();
        }
        throw wrongType(name, "true or false", v);
    }

    long integer(String name) {
        Long value = optionalInteger(name);
        if (value == null) {
            throw missing(name, "an integer");
        }
        return value;
    }

    Long optionalInteger(String name) {
        JsonValue v = present(name);
        if (v == null) {
            return null;
        }
        Long value = v instanceof JsonValue.JsonNumber n ? exactLong(n.value()) : null;
        if (value == null) {
            throw wrongType(name, "an integer between -2^63 and 2^63-1", v);
        }
        return value;
    }

    Integer optionalInt(String name) {
        JsonValue v = present(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonValue.JsonNumber n) {
            try {
                return n.value().intValueExact();
            } catch (ArithmeticException e) {
                // falls through to the type error
            }
        }
        throw wrongType(name, "an integer between -2^31 and 2^31-1", v);
    }

    /**
     * A timestamp the reference never validates: an integral number (also written {@code 1709312400000.0} or
     * {@code 1.7093124E12}) is the value; anything else, which the reference would accept and ignore or
     * stringify into a proof that cannot match, reads as absent.
     */
    Long lenientTimestamp(String name) {
        return present(name) instanceof JsonValue.JsonNumber n ? exactLong(n.value()) : null;
    }

    /** A string the protocol ignores or only echoes (the {@code requestId}): other types read as absent. */
    String lenientString(String name) {
        return present(name) instanceof JsonValue.JsonString s ? s.value() : null;
    }

    private static Long exactLong(BigDecimal value) {
        try {
            // Rejects fractions and overflow; cheap even for extreme exponents (precision checks come first).
            return value.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    List<String> strings(String name) {
        List<String> values = optionalStrings(name);
        if (values == null) {
            throw missing(name, "an array of strings");
        }
        return values;
    }

    List<String> optionalStrings(String name) {
        JsonValue v = present(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonValue.JsonArray array)) {
            throw wrongType(name, "an array of strings", v);
        }
        List<String> values = new ArrayList<>(array.elements().size());
        for (int i = 0; i < array.elements().size(); i++) {
            JsonValue element = array.elements().get(i);
            if (!(element instanceof JsonValue.JsonString s)) {
                throw wrongTypeAt(pathOf(name) + "[" + i + "]", "a string", element);
            }
            values.add(s.value());
        }
        return values;
    }

    /** A member relayed verbatim: any value, JSON {@code null} included, but it must be there. */
    JsonValue value(String name) {
        JsonValue v = object.members().get(name);
        if (v == null) {
            throw missing(name, "a JSON value");
        }
        return v;
    }

    Fields object(String name) {
        Fields fields = optionalObject(name);
        if (fields == null) {
            throw missing(name, "an object");
        }
        return fields;
    }

    Fields optionalObject(String name) {
        JsonValue v = present(name);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonValue.JsonObject o) {
            return new Fields(o, pathOf(name), frame);
        }
        throw wrongType(name, "an object", v);
    }

    List<Fields> objects(String name) {
        JsonValue v = present(name);
        if (v == null) {
            throw missing(name, "an array of objects");
        }
        if (!(v instanceof JsonValue.JsonArray array)) {
            throw wrongType(name, "an array of objects", v);
        }
        List<Fields> objects = new ArrayList<>(array.elements().size());
        for (int i = 0; i < array.elements().size(); i++) {
            JsonValue element = array.elements().get(i);
            String where = pathOf(name) + "[" + i + "]";
            if (!(element instanceof JsonValue.JsonObject o)) {
                throw wrongTypeAt(where, "an object", element);
            }
            objects.add(new Fields(o, where, frame));
        }
        return objects;
    }

    /** Bytes written as a JSON array of integers 0..255, as the TypeScript SDK writes a Uint8Array. */
    Bytes bytes(String name) {
        JsonValue v = present(name);
        if (v == null) {
            throw missing(name, "an array of integers 0..255");
        }
        if (!(v instanceof JsonValue.JsonArray array)) {
            throw wrongType(name, "an array of integers 0..255", v);
        }
        byte[] bytes = new byte[array.elements().size()];
        for (int i = 0; i < bytes.length; i++) {
            JsonValue element = array.elements().get(i);
            int b = -1;
            if (element instanceof JsonValue.JsonNumber n) {
                try {
                    b = n.value().intValueExact();
                } catch (ArithmeticException e) {
                    b = -1;
                }
            }
            if (b < 0 || b > 255) {
                throw wrongTypeAt(pathOf(name) + "[" + i + "]", "an integer 0..255", element);
            }
            bytes[i] = (byte) b;
        }
        return Bytes.of(bytes);
    }

    /** The L2PS {@code encrypted} object: unknown members are kept, in order, for relaying. */
    Encrypted encrypted(String name) {
        Fields e = object(name);
        Map<String, JsonValue> extra = new LinkedHashMap<>();
        e.object.members().forEach((member, value) -> {
            if (!member.equals("ciphertext") && !member.equals("nonce") && !member.equals("ephemeralKey")) {
                extra.put(member, value);
            }
        });
        return new Encrypted(e.string("ciphertext"), e.string("nonce"), e.optionalString("ephemeralKey"), extra);
    }
}
