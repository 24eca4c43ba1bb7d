package io.github.demosim.tck.codec;

import io.github.demosim.frame.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and rewrites one location of a {@link JsonValue} tree; steps are member names and array indexes. */
final class JsonTrees {

    private JsonTrees() {
    }

    /** The path as codecs report it: {@code payload.messages[0].encrypted.nonce}. */
    static String pathOf(List<Object> steps) {
        StringBuilder path = new StringBuilder();
        for (Object step : steps) {
            if (step instanceof Integer i) {
                path.append('[').append(i).append(']');
            } else {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(step);
            }
        }
        return path.toString();
    }

    static Optional<JsonValue> at(JsonValue root, List<Object> steps) {
        JsonValue current = root;
        for (Object step : steps) {
            if (step instanceof Integer i) {
                if (!(current instanceof JsonValue.JsonArray a) || i >= a.elements().size()) {
                    return Optional.empty();
                }
                current = a.elements().get(i);
            } else {
                if (!(current instanceof JsonValue.JsonObject o) || !o.members().containsKey((String) step)) {
                    return Optional.empty();
                }
                current = o.members().get((String) step);
            }
        }
        return Optional.of(current);
    }

    /**
     * Returns a copy of {@code root} with the location set to {@code value}, or removed when {@code value} is
     * empty. A replaced member keeps its position; a new one is appended. The parent must exist.
     */
    static JsonValue with(JsonValue root, List<Object> steps, Optional<JsonValue> value) {
        if (steps.isEmpty()) {
            return value.orElseThrow();
        }
        Object step = steps.get(0);
        List<Object> rest = steps.subList(1, steps.size());
        if (step instanceof Integer i) {
            List<JsonValue> elements = new ArrayList<>(((JsonValue.JsonArray) root).elements());
            if (rest.isEmpty() && value.isEmpty()) {
                elements.remove((int) i);
            } else {
                elements.set(i, with(elements.get(i), rest, value));
            }
            return new JsonValue.JsonArray(elements);
        }
        String name = (String) step;
        Map<String, JsonValue> members = new LinkedHashMap<>(((JsonValue.JsonObject) root).members());
        if (rest.isEmpty()) {
            if (value.isEmpty()) {
                members.remove(name);
            } else {
                members.put(name, value.get());
            }
        } else {
            members.put(name, with(members.get(name), rest, value));
        }
        return new JsonValue.JsonObject(members);
    }

    /** Equality of JSON meaning: member order ignored, numbers compared by value ({@code 5.0} = {@code 5}). */
    static boolean same(JsonValue a, JsonValue b) {
        if (a instanceof JsonValue.JsonNumber x && b instanceof JsonValue.JsonNumber y) {
            return x.value().compareTo(y.value()) == 0;
        }
        if (a instanceof JsonValue.JsonArray x && b instanceof JsonValue.JsonArray y) {
            if (x.elements().size() != y.elements().size()) {
                return false;
            }
            for (int i = 0; i < x.elements().size(); i++) {
                if (!same(x.elements().get(i), y.elements().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof JsonValue.JsonObject x && b instanceof JsonValue.JsonObject y) {
            if (!x.members().keySet().equals(y.members().keySet())) {
                return false;
            }
            for (Map.Entry<String, JsonValue> m : x.members().entrySet()) {
                if (!same(m.getValue(), y.members().get(m.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The member names of an object in order, or an empty list. */
    static List<String> names(JsonValue value) {
        return value instanceof JsonValue.JsonObject o ? List.copyOf(o.members().keySet()) : List.of();
    }
}
