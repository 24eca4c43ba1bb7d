package io.github.demosim.server.internal.json;

import io.github.demosim.frame.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds JSON trees for replies, keeping member order (the reference's emitted key order). */
public final class Json {
    private final Map<String, JsonValue> members = new LinkedHashMap<>();

    private Json() {
    }

    /**
     * Starts an object.
     *
     * @return an empty builder
     */
    public static Json object() {
        return new Json();
    }

    /**
     * Adds a member; a {@code null} value is written as JSON {@code null}.
     *
     * @param name the name
     * @param value the value
     * @return this
     */
    public Json put(String name, JsonValue value) {
        members.put(name, value == null ? JsonValue.nullValue() : value);
        return this;
    }

    /**
     * Adds a string member; {@code null} is written as JSON {@code null}.
     *
     * @param name the name
     * @param value the text
     * @return this
     */
    public Json put(String name, String value) {
        return put(name, value == null ? JsonValue.nullValue() : JsonValue.of(value));
    }

    /**
     * Adds a number member.
     *
     * @param name the name
     * @param value the number
     * @return this
     */
    public Json put(String name, long value) {
        return put(name, JsonValue.of(value));
    }

    /**
     * Adds a boolean member.
     *
     * @param name the name
     * @param value the boolean
     * @return this
     */
    public Json put(String name, boolean value) {
        return put(name, JsonValue.of(value));
    }

    /**
     * Adds an array of strings.
     *
     * @param name the name
     * @param values the strings
     * @return this
     */
    public Json putStrings(String name, List<String> values) {
        List<JsonValue> elements = new ArrayList<>(values.size());
        values.forEach(v -> elements.add(JsonValue.of(v)));
        return put(name, new JsonValue.JsonArray(elements));
    }

    /**
     * Finishes the object.
     *
     * @return the object
     */
    public JsonValue.JsonObject build() {
        return new JsonValue.JsonObject(members);
    }
}
