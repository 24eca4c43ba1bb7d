package io.github.demosim.frame;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON value, for the parts of frames that the protocols relay without interpreting them (an
 * {@code encrypted} object's unknown fields, the legacy {@code message} payload, a {@code server_question}).
 *
 * <p>Immutable. Objects keep their member order. Numbers keep their exact decimal value.
 */
public sealed interface JsonValue {

    /**
     * Returns whether JavaScript would treat this value as true in a condition: {@code false}, {@code null},
     * {@code 0} and the empty string are false, everything else (empty objects and arrays included) is true.
     * The reference servers test required fields this way.
     *
     * @return the JavaScript truthiness
     */
    boolean isTruthy();

    /**
     * Returns the member {@code name} of an object.
     *
     * @param name the member name
     * @return the member, or empty if this is not an object or has no such member
     */
    default Optional<JsonValue> get(String name) {
        return Optional.empty();
    }

    /**
     * Returns the text of a string value.
     *
     * @return the string, or empty if this is not a string
     */
    default Optional<String> asString() {
        return Optional.empty();
    }

    /**
     * Creates a string value.
     *
     * @param value the text
     * @return the value
     */
    static JsonValue of(String value) {
        return new JsonString(value);
    }

    /**
     * Creates a number value.
     *
     * @param value the number
     * @return the value
     */
    static JsonValue of(long value) {
        return new JsonNumber(BigDecimal.valueOf(value));
    }

    /**
     * Creates a boolean value.
     *
     * @param value the boolean
     * @return the value
     */
    static JsonValue of(boolean value) {
        return value ? JsonBoolean.TRUE : JsonBoolean.FALSE;
    }

    /**
     * Returns JSON {@code null}.
     *
     * @return the null value
     */
    static JsonValue nullValue() {
        return JsonNull.INSTANCE;
    }

    /**
     * A JSON object: members in their original order.
     *
     * @param members the members; copied, order kept
     */
    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        /**
         * Creates an object.
         *
         * @param members the members; copied, order kept
         */
        public JsonObject {
            Objects.requireNonNull(members, "members");
            LinkedHashMap<String, JsonValue> copy = new LinkedHashMap<>();
            members.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "member name"),
                    Objects.requireNonNull(v, "member value")));
            members = Collections.unmodifiableMap(copy);
        }

        /**
         * Returns an empty object.
         *
         * @return {@code {}}
         */
        public static JsonObject empty() {
            return new JsonObject(Map.of());
        }

        @Override
        public boolean isTruthy() {
            return true;
        }

        @Override
        public Optional<JsonValue> get(String name) {
            return Optional.ofNullable(members.get(name));
        }
    }

    /**
     * A JSON array.
     *
     * @param elements the elements; copied
     */
    record JsonArray(List<JsonValue> elements) implements JsonValue {
        /**
         * Creates an array.
         *
         * @param elements the elements; copied
         */
        public JsonArray {
            elements = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(elements, "elements")));
            elements.forEach(e -> Objects.requireNonNull(e, "element"));
        }

        @Override
        public boolean isTruthy() {
            return true;
        }
    }

    /**
     * A JSON string.
     *
     * @param value the text
     */
    record JsonString(String value) implements JsonValue {
        /**
         * Creates a string value.
         *
         * @param value the text
         */
        public JsonString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isTruthy() {
            return !value.isEmpty();
        }

        @Override
        public Optional<String> asString() {
            return Optional.of(value);
        }
    }

    /**
     * A JSON number, with its exact decimal value.
     *
     * @param value the number
     */
    record JsonNumber(BigDecimal value) implements JsonValue {
        /**
         * Creates a number value.
         *
         * @param value the number
         */
        public JsonNumber {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public boolean isTruthy() {
            return value.signum() != 0;
        }
    }

    /**
     * JSON {@code true} or {@code false}.
     *
     * @param value the boolean
     */
    record JsonBoolean(boolean value) implements JsonValue {
        /** {@code true}. */
        public static final JsonBoolean TRUE = new JsonBoolean(true);
        /** {@code false}. */
        public static final JsonBoolean FALSE = new JsonBoolean(false);

        @Override
        public boolean isTruthy() {
            return value;
        }
    }

    /** JSON {@code null}. */
    record JsonNull() implements JsonValue {
        /** The single instance. */
        public static final JsonNull INSTANCE = new JsonNull();

        @Override
        public boolean isTruthy() {
            return false;
        }
    }
}
