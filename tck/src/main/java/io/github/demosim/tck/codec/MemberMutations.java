package io.github.demosim.tck.codec;

import io.github.demosim.L2psStatus;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.tck.codec.WireSchema.Kind;
import io.github.demosim.tck.codec.WireSchema.Member;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a frame's members are, and what a codec must do when one of them is removed or replaced: the
 * oracle of the contract's member-mutation property, derived from {@link WireSchema}.
 */
final class MemberMutations {

    /** A member location in a frame's tree, with its schema. */
    record Target(List<Object> steps, Member member) {
        String path() {
            return JsonTrees.pathOf(steps);
        }
    }

    /** What decoding the mutated frame must do. */
    enum Expected {
        /** Decode; the re-encoded frame shows the new value (or its lenient reading). */
        DECODES,
        /** Fail with {@code CODEC_INVALID_FRAME} whose path is exactly the target's. */
        FAILS_AT_TARGET,
        /** Fail with {@code CODEC_INVALID_FRAME} at the target or inside it. */
        FAILS_INSIDE_TARGET,
        /** Either decode, or fail inside the target (a replacement object or array is checked member by member). */
        DECODES_OR_FAILS_INSIDE
    }

    private MemberMutations() {
    }

    /** Every schema member whose parent exists in {@code tree}, present or not; {@code type} excluded. */
    static List<Target> targets(JsonValue.JsonObject tree, Class<? extends Frame> family) {
        String type = tree.get("type").flatMap(JsonValue::asString).orElseThrow();
        List<Target> targets = new ArrayList<>();
        collect(tree, List.of(), WireSchema.envelope(family, type), targets);
        return targets;
    }

    private static void collect(JsonValue object, List<Object> at, List<Member> members, List<Target> out) {
        for (Member m : members) {
            List<Object> steps = append(at, m.name());
            out.add(new Target(steps, m));
            Optional<JsonValue> value = JsonTrees.at(object, List.of(m.name()));
            if (m.kind() == Kind.OBJECT && value.isPresent() && value.get() instanceof JsonValue.JsonObject o) {
                collect(o, steps, m.nested(), out);
            }
            if (m.kind() == Kind.OBJECTS && value.isPresent() && value.get() instanceof JsonValue.JsonArray a) {
                for (int i = 0; i < a.elements().size(); i++) {
                    if (a.elements().get(i) instanceof JsonValue.JsonObject o) {
                        collect(o, append(steps, i), m.nested(), out);
                    }
                }
            }
        }
    }

    private static List<Object> append(List<Object> steps, Object step) {
        List<Object> longer = new ArrayList<>(steps);
        longer.add(step);
        return List.copyOf(longer);
    }

    /**
     * The expected outcome of setting the member to {@code value} (empty: removing it).
     */
    static Expected expected(Member member, Optional<JsonValue> value) {
        Kind kind = member.kind();
        boolean absent = value.isEmpty();
        boolean isNull = value.isPresent() && value.get() instanceof JsonValue.JsonNull;
        switch (kind) {
            case VERBATIM:
            case PRESENT:
                return absent ? Expected.FAILS_AT_TARGET : Expected.DECODES;
            case LENIENT_NUMBER:
            case LENIENT_STRING:
                return Expected.DECODES;
            default:
                break;
        }
        if (absent || isNull) {
            return member.required() ? Expected.FAILS_AT_TARGET : Expected.DECODES;
        }
        JsonValue v = value.get();
        switch (kind) {
            case STRING:
            case STATUS:
                return v instanceof JsonValue.JsonString ? Expected.DECODES : Expected.FAILS_AT_TARGET;
            case BOOLEAN:
                return v instanceof JsonValue.JsonBoolean ? Expected.DECODES : Expected.FAILS_AT_TARGET;
            case LONG:
                return integral(v, Long.MIN_VALUE, Long.MAX_VALUE) ? Expected.DECODES : Expected.FAILS_AT_TARGET;
            case INT:
                return integral(v, Integer.MIN_VALUE, Integer.MAX_VALUE) ? Expected.DECODES
                        : Expected.FAILS_AT_TARGET;
            case STRINGS:
                if (!(v instanceof JsonValue.JsonArray a)) {
                    return Expected.FAILS_AT_TARGET;
                }
                return a.elements().stream().allMatch(e -> e instanceof JsonValue.JsonString) ? Expected.DECODES
                        : Expected.FAILS_INSIDE_TARGET;
            case BYTES:
                if (!(v instanceof JsonValue.JsonArray b)) {
                    return Expected.FAILS_AT_TARGET;
                }
                return b.elements().stream().allMatch(e -> integral(e, 0, 255)) ? Expected.DECODES
                        : Expected.FAILS_INSIDE_TARGET;
            case OBJECT:
                return v instanceof JsonValue.JsonObject ? Expected.DECODES_OR_FAILS_INSIDE : Expected.FAILS_AT_TARGET;
            case OBJECTS:
                return v instanceof JsonValue.JsonArray ? Expected.DECODES_OR_FAILS_INSIDE : Expected.FAILS_AT_TARGET;
            default:
                throw new IllegalStateException(kind.name());
        }
    }

    /**
     * What the re-encoded frame must hold at the target after a successful decode: the value itself, its
     * lenient reading, or nothing ({@code Optional.empty()}: absent or {@code null} both accepted). Returns
     * {@code null} when anything goes (a replacement object whose members the codec checked one by one).
     */
    static Optional<JsonValue> reencoded(Member member, Optional<JsonValue> value) {
        if (member.kind() == Kind.PRESENT) {
            return null;
        }
        if (value.isEmpty() || value.get() instanceof JsonValue.JsonNull) {
            return member.kind() == Kind.VERBATIM ? value : Optional.empty();
        }
        JsonValue v = value.get();
        switch (member.kind()) {
            case LENIENT_NUMBER:
                return integral(v, Long.MIN_VALUE, Long.MAX_VALUE) ? value : Optional.empty();
            case LENIENT_STRING:
                return v instanceof JsonValue.JsonString ? value : Optional.empty();
            case STATUS:
                // An unknown status is L2psStatus.UNKNOWN in the record, and that is what is written back.
                return Optional.of(new JsonValue.JsonString(
                        L2psStatus.fromWire(((JsonValue.JsonString) v).value()).wireName()));
            case STRINGS:
                // An optional empty list is omitted on the wire (Register/Registered features).
                return !member.required() && ((JsonValue.JsonArray) v).elements().isEmpty() ? Optional.empty() : value;
            case OBJECT:
            case OBJECTS:
            case PRESENT:
                return null;
            default:
                return value;
        }
    }

    private static boolean integral(JsonValue v, long min, long max) {
        if (!(v instanceof JsonValue.JsonNumber n)) {
            return false;
        }
        BigDecimal d = n.value();
        try {
            long l = d.longValueExact();
            return l >= min && l <= max;
        } catch (ArithmeticException e) {
            return false;
        }
    }
}
