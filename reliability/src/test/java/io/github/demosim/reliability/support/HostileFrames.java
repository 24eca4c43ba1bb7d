package io.github.demosim.reliability.support;

import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.tck.generators.Frames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Hostile WebSocket messages built from the TCK's valid frames ({@link Frames}): one member replaced by a value of
 * the wrong type, by a huge or tiny number, by deeply nested arrays or objects, or by an oversized string; the
 * same as binary messages; random bytes (mostly invalid UTF-8) as binary messages; arbitrary text. The
 * replacement is spliced into the JSON text, so that values no {@link JsonValue} can hold (a 1,000-digit number,
 * nesting 100,000 deep) reach the other side as written.
 */
public final class HostileFrames {
    private static final String MARK = "\u0000hostile\u0000";
    private static final List<String> WRONG_TYPES = List.of("0", "-1", "1.5", "true", "false", "null", "\"\"",
            "\"x\"", "[]", "{}", "[1,\"a\",null,{}]", "{\"a\":{\"b\":[]}}", "\"\\u0000\"", "\"<script>\"",
            "\"\\ud800\"", "\"\u202e\u200b\"");
    private static final List<String> NUMBERS = List.of("1e400", "-1e400", "1e-400", "9007199254740993",
            "123456789012345678901234567890", "-0", "0.0000000000000000000000001", "1E+308", "1e999999999",
            "-1e-999999999", "1" + "0".repeat(999), "4294967296", "-9223372036854775809", "1.7976931348623157e309");
    private static final int[] DEPTHS = {64, 500, 999, 1_000, 1_001, 5_000, 100_000};
    private static final int[] STRING_LENGTHS = {70_000, 131_073, 200_000, 262_000, 270_000, 600_000};

    /** One hostile message. */
    public record Hostile(String kind, String text, byte[] binary) {
        /** A text message. */
        static Hostile text(String kind, String text) {
            return new Hostile(kind, text, null);
        }

        /** The kind without its details, for statistics: e.g. {@code huge number (binary)}. */
        public String category() {
            String k = kind.replaceAll(" (at|of) .*| [0-9]+ deep.*| '.'.*", "").replace(" as binary", "");
            return (k.startsWith("string") ? "long string" : k) + (isBinary() ? " (binary)" : "");
        }

        /** Whether it goes as a binary message. */
        public boolean isBinary() {
            return binary != null;
        }

        /** Its length as the reference measures it: UTF-16 units for text, bytes for binary (l2ps.md §4.2). */
        public int rawLength() {
            return binary != null ? binary.length : text.length();
        }

        /** The text the server works on: binary decoded as UTF-8 with replacement characters. */
        public String asText() {
            return binary != null ? new String(binary, StandardCharsets.UTF_8) : text;
        }

        @Override
        public String toString() {
            String t = asText();
            return kind + (isBinary() ? " (binary, " : " (text, ") + rawLength() + "): "
                    + (t.length() > 160 ? t.substring(0, 160) + "…" : t);
        }
    }

    private HostileFrames() {
    }

    /** Hostile messages for an L2PS server. */
    public static Arbitrary<Hostile> toL2psServer() {
        return hostile(Frames.l2psClientFrames().map(HostileFrames::tree));
    }

    /** Hostile messages for a legacy server. */
    public static Arbitrary<Hostile> toLegacyServer() {
        return hostile(Frames.legacyClientFrames().map(HostileFrames::tree));
    }

    /** Hostile messages for an L2PS client. */
    public static Arbitrary<Hostile> toL2psClient() {
        return hostile(Frames.l2psServerFrames().map(HostileFrames::tree));
    }

    /** Hostile messages for a legacy client. */
    public static Arbitrary<Hostile> toLegacyClient() {
        return hostile(Frames.legacyServerFrames().map(HostileFrames::tree));
    }

    private static JsonValue.JsonObject tree(Frame f) {
        return (JsonValue.JsonObject) Json.CODEC.toJson(f);
    }

    private static Arbitrary<Hostile> hostile(Arbitrary<JsonValue.JsonObject> valid) {
        Arbitrary<Hostile> spliced = valid.flatMap(tree -> Arbitraries.randomValue(r -> splice(tree, r)));
        Arbitrary<Hostile> asBinary = spliced.filter(h -> h.rawLength() < 1_000_000)
                .map(h -> new Hostile(h.kind() + " as binary", null, h.text().getBytes(StandardCharsets.UTF_8)));
        Arbitrary<Hostile> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(512)
                .map(b -> new Hostile("random bytes", null, b));
        Arbitrary<Hostile> garbage = Frames.anyText().map(t -> Hostile.text("arbitrary text", wellFormed(t)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, spliced),
                net.jqwik.api.Tuple.of(2, asBinary),
                net.jqwik.api.Tuple.of(1, randomBytes),
                net.jqwik.api.Tuple.of(1, garbage));
    }

    private static Hostile splice(JsonValue.JsonObject tree, Random r) {
        List<List<String>> paths = new ArrayList<>();
        collect(tree, new ArrayList<>(), paths);
        List<String> path = paths.get(r.nextInt(paths.size()));
        String kind;
        String replacement;
        switch (r.nextInt(4)) {
            case 0 -> {
                kind = "wrong type at " + String.join(".", path);
                replacement = WRONG_TYPES.get(r.nextInt(WRONG_TYPES.size()));
            }
            case 1 -> {
                kind = "huge number at " + String.join(".", path);
                replacement = NUMBERS.get(r.nextInt(NUMBERS.size()));
            }
            case 2 -> {
                int depth = DEPTHS[r.nextInt(DEPTHS.length)];
                kind = "nesting " + depth + " deep at " + String.join(".", path);
                replacement = r.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
            }
            default -> {
                int length = STRING_LENGTHS[r.nextInt(STRING_LENGTHS.length)];
                boolean wide = r.nextBoolean(); // € is one UTF-16 unit and three UTF-8 bytes
                kind = "string of " + length + (wide ? " '€'" : " 'x'") + " at " + String.join(".", path);
                replacement = "\"" + (wide ? "€" : "x").repeat(length) + "\"";
            }
        }
        JsonValue marked = replace(tree, path, 0);
        String text = Json.write(marked).replace(Json.write(JsonValue.of(MARK)), replacement);
        return Hostile.text(kind, wellFormed(text));
    }

    private static void collect(JsonValue v, List<String> at, List<List<String>> out) {
        if (v instanceof JsonValue.JsonObject o) {
            for (Map.Entry<String, JsonValue> m : o.members().entrySet()) {
                List<String> p = new ArrayList<>(at);
                p.add(m.getKey());
                out.add(p);
                collect(m.getValue(), p, out);
            }
        }
    }

    private static JsonValue replace(JsonValue v, List<String> path, int i) {
        JsonValue.JsonObject o = (JsonValue.JsonObject) v;
        Map<String, JsonValue> copy = new LinkedHashMap<>(o.members());
        String name = path.get(i);
        copy.put(name, i == path.size() - 1 ? JsonValue.of(MARK) : replace(o.members().get(name), path, i + 1));
        return new JsonValue.JsonObject(copy);
    }

    /** A WebSocket text message is UTF-8: a lone surrogate cannot be sent, so it becomes U+FFFD. */
    public static String wellFormed(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
