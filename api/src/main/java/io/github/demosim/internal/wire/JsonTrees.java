package io.github.demosim.internal.wire;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.JsonSink;
import io.github.demosim.spi.JsonSource;
import io.github.demosim.spi.JsonSource.Token;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link JsonValue} trees to and from a codec's tokens and events: how a {@link io.github.demosim.spi.FrameCodec}
 * parses and writes values that are not frames. Nesting is limited to {@value Tape#MAX_DEPTH} levels both ways,
 * whatever the codec's own limits, so no input or tree can exhaust the stack.
 */
public final class JsonTrees {
    private JsonTrees() {
    }

    /**
     * Reads one value.
     *
     * @param source a source before its first token
     * @return the value: objects keep member order (a repeated name keeps its first place and last value),
     *     numbers their exact decimal value
     * @throws CodecException {@code CODEC_MALFORMED_JSON} if the source does, or the value nests too deep
     */
    public static JsonValue read(JsonSource source) {
        return read(source, source.next(), 0);
    }

    private static JsonValue read(JsonSource source, Token token, int depth) {
        switch (token) {
            case BEGIN_OBJECT: {
                checkDepth(source, depth);
                Map<String, JsonValue> members = new LinkedHashMap<>();
                for (Token t = source.next(); t != Token.END_OBJECT; t = source.next()) {
                    if (t != Token.NAME) {
                        throw unexpected(source, t);
                    }
                    String name = source.text();
                    members.put(name, read(source, source.next(), depth + 1));
                }
                return new JsonValue.JsonObject(members);
            }
            case BEGIN_ARRAY: {
                checkDepth(source, depth);
                List<JsonValue> elements = new ArrayList<>();
                for (Token t = source.next(); t != Token.END_ARRAY; t = source.next()) {
                    elements.add(read(source, t, depth + 1));
                }
                return new JsonValue.JsonArray(elements);
            }
            case STRING:
                return new JsonValue.JsonString(source.text());
            case NUMBER:
                return new JsonValue.JsonNumber(number(source));
            case TRUE:
                return JsonValue.JsonBoolean.TRUE;
            case FALSE:
                return JsonValue.JsonBoolean.FALSE;
            case NULL:
                return JsonValue.JsonNull.INSTANCE;
            default:
                throw unexpected(source, token);
        }
    }

    private static BigDecimal number(JsonSource source) {
        try {
            return Tape.decimal(source.text());
        } catch (NumberFormatException e) {
            throw outOfRange(source, e);
        }
    }

    /**
     * A number literal {@link BigDecimal} cannot hold: JSON sets no range, but an exponent beyond the {@code int}
     * range ({@code 1e99999999999}) is of no use to anyone.
     */
    static CodecException outOfRange(JsonSource source, NumberFormatException e) {
        return new CodecException(ErrorCode.CODEC_MALFORMED_JSON, "Not JSON: a number literal is out of range at"
                + " offset " + source.offset(), null, source.offset(), e);
    }

    /** Fails if a container opened at {@code depth} would nest deeper than the limit. */
    static void checkDepth(JsonSource source, int depth) {
        if (depth == Tape.MAX_DEPTH) {
            throw new CodecException(ErrorCode.CODEC_MALFORMED_JSON, "Not JSON: nested deeper than "
                    + Tape.MAX_DEPTH + " levels at offset " + source.offset(), null, source.offset(), null);
        }
    }

    /** A token where the grammar allows none: a syntax that breaks its contract, reported as malformed text. */
    static CodecException unexpected(JsonSource source, Token token) {
        return new CodecException(ErrorCode.CODEC_MALFORMED_JSON, "Not JSON: unexpected " + token + " at offset "
                + source.offset(), null, source.offset(), null);
    }

    /**
     * Writes a value.
     *
     * @param value the value
     * @param out the sink
     * @throws CodecException {@code CODEC_ENCODE_FAILED} if the value nests too deep
     */
    public static void write(JsonValue value, JsonSink out) {
        write(value, out, 0);
    }

    /**
     * Writes a value inside others.
     *
     * @param value the value
     * @param out the sink
     * @param depth how many objects and arrays are open around it, which count towards the limit
     */
    static void write(JsonValue value, JsonSink out, int depth) {
        if (value instanceof JsonValue.JsonString s) {
            out.string(s.value());
        } else if (value instanceof JsonValue.JsonObject o) {
            checkDepth(depth);
            out.beginObject();
            for (Map.Entry<String, JsonValue> member : o.members().entrySet()) {
                out.name(member.getKey());
                write(member.getValue(), out, depth + 1);
            }
            out.endObject();
        } else if (value instanceof JsonValue.JsonArray a) {
            checkDepth(depth);
            out.beginArray();
            for (JsonValue element : a.elements()) {
                write(element, out, depth + 1);
            }
            out.endArray();
        } else if (value instanceof JsonValue.JsonNumber n) {
            out.number(n.value());
        } else if (value instanceof JsonValue.JsonBoolean b) {
            out.bool(b.value());
        } else if (value instanceof JsonValue.JsonNull) {
            out.nullValue();
        } else {
            throw new NullPointerException("value");
        }
    }

    private static void checkDepth(int depth) {
        if (depth == Tape.MAX_DEPTH) {
            throw new CodecException(ErrorCode.CODEC_ENCODE_FAILED, "Cannot write JSON: the value nests deeper than "
                    + Tape.MAX_DEPTH + " levels", null, -1, null);
        }
    }

    /** A sink that builds the tree of what it is given: {@code toJson} of a frame. */
    static final class TreeSink implements JsonSink {
        /** Open containers: a map (with the pending member name in {@link #names}) or a list. */
        private final Deque<Object> open = new ArrayDeque<>();
        private final Deque<String> names = new ArrayDeque<>();
        private JsonValue result;

        /** The value written. */
        JsonValue result() {
            return result;
        }

        @Override
        public void beginObject() {
            open.push(new LinkedHashMap<String, JsonValue>());
        }

        @Override
        public void name(String name) {
            names.push(name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void endObject() {
            add(new JsonValue.JsonObject((Map<String, JsonValue>) open.pop()));
        }

        @Override
        public void beginArray() {
            open.push(new ArrayList<JsonValue>());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void endArray() {
            add(new JsonValue.JsonArray((List<JsonValue>) open.pop()));
        }

        @Override
        public void string(String value) {
            add(new JsonValue.JsonString(value));
        }

        @Override
        public void number(long value) {
            add(JsonValue.of(value));
        }

        @Override
        public void number(BigDecimal value) {
            add(new JsonValue.JsonNumber(value));
        }

        @Override
        public void bool(boolean value) {
            add(JsonValue.of(value));
        }

        @Override
        public void nullValue() {
            add(JsonValue.nullValue());
        }

        @SuppressWarnings("unchecked")
        private void add(JsonValue value) {
            Object container = open.peek();
            if (container == null) {
                result = value;
            } else if (container instanceof Map) {
                ((Map<String, JsonValue>) container).put(names.pop(), value);
            } else {
                ((List<JsonValue>) container).add(value);
            }
        }
    }
}
