package io.github.demosim.server.support;

import io.github.demosim.frame.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small helpers to build and read JSON frames in tests. */
public final class Wire {
    private Wire() {
    }

    /** Builds an object from alternating names and values (String, Number, Boolean, JsonValue, List, null). */
    public static JsonValue.JsonObject obj(Object... namesAndValues) {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], json(namesAndValues[i + 1]));
        }
        return new JsonValue.JsonObject(m);
    }

    /** Converts a Java value to JSON. */
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

    /** An L2PS frame {@code {type, payload, timestamp}}. */
    public static JsonValue.JsonObject frame(String type, JsonValue payload, long timestamp) {
        return obj("type", type, "payload", payload, "timestamp", timestamp);
    }

    /** A legacy frame {@code {type, payload}}. */
    public static JsonValue.JsonObject legacy(String type, JsonValue payload) {
        return obj("type", type, "payload", payload);
    }

    public static String type(JsonValue frame) {
        return frame.get("type").flatMap(JsonValue::asString).orElse(null);
    }

    public static JsonValue payload(JsonValue frame) {
        return frame.get("payload").orElseThrow(() -> new AssertionError("no payload in " + WsClient.CODEC.write(frame)));
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

    public static String str(JsonValue v, String path) {
        JsonValue x = at(v, path);
        return x == null ? null : x.asString().orElse(null);
    }

    public static Long num(JsonValue v, String path) {
        JsonValue x = at(v, path);
        return x instanceof JsonValue.JsonNumber n ? n.value().longValueExact() : null;
    }

    public static Boolean bool(JsonValue v, String path) {
        JsonValue x = at(v, path);
        return x instanceof JsonValue.JsonBoolean b ? b.value() : null;
    }

    public static List<String> strings(JsonValue v, String path) {
        JsonValue x = at(v, path);
        List<String> out = new ArrayList<>();
        if (x instanceof JsonValue.JsonArray a) {
            a.elements().forEach(e -> out.add(e.asString().orElse(null)));
        }
        return out;
    }

    public static List<JsonValue> array(JsonValue v, String path) {
        JsonValue x = at(v, path);
        return x instanceof JsonValue.JsonArray a ? a.elements() : List.of();
    }

    public static String text(JsonValue v) {
        return WsClient.CODEC.write(v);
    }
}
