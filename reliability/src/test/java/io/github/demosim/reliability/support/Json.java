package io.github.demosim.reliability.support;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.CodecProvider;
import io.github.demosim.spi.FrameCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds and reads the JSON of raw frames, with the SDK's own codec. */
public final class Json {
    /** The Jackson codec, as the SDK and the server use it. */
    public static final FrameCodec CODEC = CodecProvider.find("jackson").create();

    private Json() {
    }

    /** An object from alternating names and values (String, Number, Boolean, JsonValue, List, null). */
    public static JsonValue.JsonObject obj(Object... namesAndValues) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], json(namesAndValues[i + 1]));
        }
        return new JsonValue.JsonObject(m);
    }

    /** A Java value as JSON. */
    public static JsonValue json(Object v) {
        if (v == null) {
            return JsonValue.nullValue();
        }
        if (v instanceof JsonValue j) {
            return j;
        }
        if (v instanceof String s) {
            return JsonValue.of(s);
        }
        if (v instanceof Boolean b) {
            return JsonValue.of(b);
        }
        if (v instanceof BigDecimal d) {
            return new JsonValue.JsonNumber(d);
        }
        if (v instanceof Number n) {
            return new JsonValue.JsonNumber(new BigDecimal(n.toString()));
        }
        if (v instanceof List<?> list) {
            List<JsonValue> out = new ArrayList<>();
            list.forEach(e -> out.add(json(e)));
            return new JsonValue.JsonArray(out);
        }
        throw new IllegalArgumentException("not JSON-able: " + v);
    }

    /** The compact text of a value. */
    public static String write(JsonValue v) {
        return CODEC.write(v);
    }

    /** Parses a frame the server sent. */
    public static JsonValue parse(String text) {
        return CODEC.parse(text);
    }

    /** The {@code type} of a frame, or null. */
    public static String type(JsonValue frame) {
        return str(frame, "type");
    }

    /** A member by dotted path, or null. */
    public static JsonValue at(JsonValue v, String path) {
        JsonValue cur = v;
        for (String part : path.split("\\.")) {
            if (cur == null) {
                return null;
            }
            cur = cur.get(part).orElse(null);
        }
        return cur;
    }

    /** A string member by dotted path, or null. */
    public static String str(JsonValue v, String path) {
        JsonValue x = at(v, path);
        return x == null ? null : x.asString().orElse(null);
    }

    /** An array member by dotted path, or an empty list. */
    public static List<JsonValue> array(JsonValue v, String path) {
        JsonValue x = at(v, path);
        return x instanceof JsonValue.JsonArray a ? a.elements() : List.of();
    }

    /** The members of the payload of an error frame, {@code code} then {@code message} (L2PS). */
    public static String error(JsonValue frame) {
        return str(frame, "payload.code") + " / " + str(frame, "payload.message");
    }

    /** The members of a legacy error frame, {@code errorType / details}. */
    public static String legacyError(JsonValue frame) {
        return str(frame, "payload.errorType") + " / " + str(frame, "payload.details");
    }
}
