package io.github.demosim.server.internal.json;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.JsNumber;
import java.util.Optional;

/**
 * JavaScript's view of parsed JSON values, as the reference servers see them: string conversion (used in
 * proof strings and error texts) and the length a value reports.
 */
public final class JsValues {
    private JsValues() {
    }

    /**
     * JavaScript {@code String(v)} of a member that may be absent.
     *
     * @param value the value, or {@code null} for an absent member ({@code undefined})
     * @return the text: {@code undefined}, {@code null}, {@code true}, a JS number, the string itself,
     *     array elements joined by commas, or {@code [object Object]}
     */
    public static String toJsString(JsonValue value) {
        if (value == null) {
            return "undefined";
        }
        if (value instanceof JsonValue.JsonString s) {
            return s.value();
        }
        if (value instanceof JsonValue.JsonNumber n) {
            return JsNumber.toString(n.value());
        }
        if (value instanceof JsonValue.JsonBoolean b) {
            return Boolean.toString(b.value());
        }
        if (value instanceof JsonValue.JsonNull) {
            return "null";
        }
        if (value instanceof JsonValue.JsonArray a) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < a.elements().size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                JsonValue e = a.elements().get(i);
                if (!(e instanceof JsonValue.JsonNull)) { // Array.prototype.join prints null as ""
                    out.append(toJsString(e));
                }
            }
            return out.toString();
        }
        return "[object Object]";
    }

    /**
     * Returns the member of an object, or empty for non-objects (JavaScript reads {@code undefined}).
     *
     * @param object any value
     * @param name the member name
     * @return the member
     */
    public static Optional<JsonValue> member(JsonValue object, String name) {
        return object == null ? Optional.empty() : object.get(name);
    }

    /**
     * Returns whether JavaScript treats the member as true; an absent member is false.
     *
     * @param value the value or {@code null}
     * @return truthiness
     */
    public static boolean truthy(JsonValue value) {
        return value != null && value.isTruthy();
    }

    /**
     * Returns whether {@code typeof v === "object" && v} holds: objects and arrays.
     *
     * @param value the value or {@code null}
     * @return whether the value is an object or array
     */
    public static boolean isObjectLike(JsonValue value) {
        return value instanceof JsonValue.JsonObject || value instanceof JsonValue.JsonArray;
    }

    /**
     * The {@code .length} JavaScript reads from a value: UTF-16 units for strings, elements for arrays,
     * nothing otherwise (then size comparisons are false, so the reference's limits do not apply).
     *
     * @param value the value or {@code null}
     * @return the length, if the value has one
     */
    public static Optional<Integer> length(JsonValue value) {
        if (value instanceof JsonValue.JsonString s) {
            return Optional.of(s.value().length());
        }
        if (value instanceof JsonValue.JsonArray a) {
            return Optional.of(a.elements().size());
        }
        return Optional.empty();
    }
}
