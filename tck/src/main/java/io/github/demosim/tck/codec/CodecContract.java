package io.github.demosim.tck.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.L2psFrame;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.tck.generators.Frames;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The contract every {@link FrameCodec} must pass. A provider's test implements it and supplies its codec:
 * <pre>{@code
 * class JacksonCodecContractProperties implements CodecContract {
 *     public FrameCodec codec() { return new JacksonCodecProvider().create(); }
 * }
 * }</pre>
 *
 * <p>Frames come from {@link Frames}, every type of both protocols and directions. The properties check that
 * <ul>
 *   <li>every frame survives encoding and decoding, as text and as a tree, and its text is compact and in the
 *       codec's canonical form with the envelope members in reference order;</li>
 *   <li>every JSON value survives writing and parsing, member order and exact numbers included;</li>
 *   <li>any text either decodes to a frame of the requested family or fails with a {@link CodecException}
 *       whose code says why ({@code CODEC_MALFORMED_JSON} with the offset, {@code CODEC_INVALID_FRAME} with
 *       the path, {@code CODEC_UNKNOWN_TYPE}), never with another exception;</li>
 *   <li>removing or replacing any member gives exactly the outcome the protocol documents define
 *       (required, optional, lenient timestamps, verbatim relaying), with the member's path in the error;</li>
 *   <li>unknown members are ignored, except inside {@code encrypted}, where they are kept;</li>
 *   <li>an integral L2PS timestamp in any notation decodes to the same instant, a fractional one to none.</li>
 * </ul>
 * Each property runs 1,000 tries: a codec is cheap to exercise, and the mutation properties need many tries
 * to reach every member of every frame type.
 */
public interface CodecContract {

    /**
     * Returns the codec under test. Called once per try; may return a shared instance (codecs are
     * thread-safe and stateless).
     *
     * @return the codec
     */
    FrameCodec codec();

    // ------------------------------------------------------------------ generators

    /**
     * Frames of every type, both protocols and directions.
     *
     * @return frames
     */
    @Provide
    default Arbitrary<Frame> anyFrame() {
        return Frames.frames();
    }

    /**
     * L2PS frames that carry an envelope timestamp.
     *
     * @return timestamped L2PS frames
     */
    @Provide
    default Arbitrary<L2psFrame> timestampedL2psFrame() {
        return Arbitraries.oneOf(Frames.l2psClientFrames(), Frames.l2psServerFrames())
                .filter(f -> f.timestamp() != null);
    }

    /**
     * JSON values of every kind.
     *
     * @return JSON values
     */
    @Provide
    default Arbitrary<JsonValue> anyJson() {
        return Frames.jsonValues();
    }

    /**
     * Values to put in place of a member: every JSON kind, with the borderline numbers (byte, int and long
     * limits, integral values written with a fraction, fractions) that separate valid from invalid members.
     *
     * @return replacement values
     */
    @Provide
    default Arbitrary<JsonValue> replacement() {
        Arbitrary<JsonValue> numbers = Arbitraries.of("0", "1", "255", "256", "-1", "20", "20.0", "20.5",
                "2147483647", "2147483648", "9223372036854775807", "9223372036854775808", "1709312400000",
                "1.7093124E12", "1e30", "-0").map(n -> new JsonValue.JsonNumber(new BigDecimal(n)));
        Arbitrary<JsonValue> strings = Arbitraries.oneOf(Frames.hexKeys(), Frames.unicodeText(),
                Arbitraries.just("")).map(JsonValue::of);
        Arbitrary<JsonValue> byteArrays = Arbitraries.integers().between(0, 255).map(i -> JsonValue.of(i))
                .list().ofMaxSize(4).map(JsonValue.JsonArray::new);
        Arbitrary<JsonValue> stringArrays = Frames.unicodeText().map(s -> JsonValue.of(s)).list()
                .ofMaxSize(3).map(JsonValue.JsonArray::new);
        return Arbitraries.frequencyOf(
                Tuple.of(3, strings),
                Tuple.of(3, numbers),
                Tuple.of(1, Arbitraries.of(JsonValue.of(true), JsonValue.of(false))),
                Tuple.of(2, Arbitraries.just(JsonValue.nullValue())),
                Tuple.of(1, byteArrays),
                Tuple.of(1, stringArrays),
                Tuple.of(1, Frames.jsonObjects()),
                Tuple.of(2, Frames.jsonValues()));
    }

    /**
     * Text that is mostly not a frame: any characters, JSON fragments, JSON values, and objects that look like
     * frames ({@code type} a real or made-up type, {@code payload} any value).
     *
     * @return arbitrary text
     */
    @Provide
    default Arbitrary<String> arbitraryText() {
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "null", "true", "false",
                "-", "0", "1e", "1.5", "\"type\"", "\"payload\"", "\"register\"", "{}", "\\u00", "\\", " ")
                .list().ofMaxSize(12).map(l -> String.join("", l));
        Arbitrary<String> types = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("register", "send", "history", "discover", "request_public_key", "ack",
                        "registered", "message", "message_sent", "message_queued", "history_response",
                        "discover_response", "public_key_response", "peer_joined", "peer_left", "error",
                        "message_status", "debug_question", "peer_response", "peer_disconnected",
                        "server_question", "challenge", "challenge_response")),
                Tuple.of(1, Frames.anyText()));
        Arbitrary<String> frameLike = Combinators.combine(types.map(JsonValue::of), Frames.jsonValues(),
                Frames.jsonValues().injectNull(0.5)).as((type, payload, ts) -> {
                    java.util.Map<String, JsonValue> m = new java.util.LinkedHashMap<>();
                    m.put("type", type);
                    m.put("payload", payload);
                    if (ts != null) {
                        m.put("timestamp", ts);
                    }
                    return writeForTest(new JsonValue.JsonObject(m));
                });
        return Arbitraries.frequencyOf(
                Tuple.of(2, Frames.anyText()),
                Tuple.of(2, fragments),
                Tuple.of(2, Frames.jsonValues().map(CodecContract::writeForTest)),
                Tuple.of(3, frameLike));
    }

    // ------------------------------------------------------------------ round trips

    /**
     * Every frame decodes back from its text to an equal frame.
     *
     * @param frame any frame
     */
    @Property(tries = 1000)
    @Label("decode(encode(frame)) equals frame")
    default void framesRoundTripThroughText(@ForAll("anyFrame") Frame frame) {
        FrameCodec codec = codec();
        String text = codec.encode(frame);
        assertThat(codec.decode(text, Frames.familyOf(frame))).as(text).isEqualTo(frame);
    }

    /**
     * Every frame converts back from its JSON tree to an equal frame, and the tree is what the text holds.
     *
     * @param frame any frame
     */
    @Property(tries = 1000)
    @Label("fromJson(toJson(frame)) equals frame, and encode = write(toJson)")
    default void framesRoundTripThroughTheTree(@ForAll("anyFrame") Frame frame) {
        FrameCodec codec = codec();
        JsonValue tree = codec.toJson(frame);
        assertThat(codec.fromJson(tree, Frames.familyOf(frame))).isEqualTo(frame);
        String text = codec.encode(frame);
        assertThat(codec.write(tree)).isEqualTo(text);
        assertThat(codec.parse(text)).isEqualTo(tree);
    }

    /**
     * Encoded frames are compact, canonical (parsing and writing them again changes nothing) and their envelope
     * members come in the reference order: {@code type, payload} then, for L2PS, {@code timestamp} and
     * {@code requestId} when set ({@code l2ps.md} §2, {@code legacy-and-crypto.md} §A.1).
     *
     * @param frame any frame
     */
    @Property(tries = 1000)
    @Label("encoded frames are canonical and keep the envelope order")
    default void encodedFramesAreCanonical(@ForAll("anyFrame") Frame frame) {
        FrameCodec codec = codec();
        String text = codec.encode(frame);
        JsonValue tree = codec.parse(text);
        assertThat(codec.write(tree)).isEqualTo(text);
        assertThat(text).startsWith("{\"type\":" + codec.write(JsonValue.of(frame.type())) + ",\"payload\":");
        List<String> expected = new ArrayList<>(List.of("type", "payload"));
        if (frame instanceof L2psFrame f) {
            if (f.timestamp() != null) {
                expected.add("timestamp");
            }
            if (f.requestId() != null) {
                expected.add("requestId");
            }
        }
        assertThat(JsonTrees.names(tree)).isEqualTo(expected);
    }

    /**
     * Every JSON value survives writing and parsing: equal, member order kept, numbers exact.
     *
     * @param value any JSON value
     */
    @Property(tries = 1000)
    @Label("parse(write(value)) equals value")
    default void jsonValuesRoundTrip(@ForAll("anyJson") JsonValue value) {
        FrameCodec codec = codec();
        String text = codec.write(value);
        JsonValue parsed = codec.parse(text);
        assertThat(parsed).isEqualTo(value);
        assertThat(codec.write(parsed)).as("member order and number literals are kept").isEqualTo(text);
    }

    // ------------------------------------------------------------------ bad input

    /**
     * Any text, decoded as any family, is a frame of that family or a {@link CodecException}; parsed, it is a
     * value or a {@code CODEC_MALFORMED_JSON}.
     *
     * @param text arbitrary text
     */
    @Property(tries = 1000)
    @Label("any text decodes or fails with CodecException")
    default void anyTextDecodesOrFailsCleanly(@ForAll("arbitraryText") String text) {
        FrameCodec codec = codec();
        for (Class<? extends Frame> family : Frames.families()) {
            Statistics.label("outcome").collect(checkDecodesOrFailsCleanly(codec, text, family));
        }
        Statistics.label("outcome").coverage(c -> {
            c.check("decoded").count(n -> n > 0);
            c.check(ErrorCode.CODEC_MALFORMED_JSON.name()).percentage(p -> p > 10);
            c.check(ErrorCode.CODEC_INVALID_FRAME.name()).percentage(p -> p > 10);
            c.check(ErrorCode.CODEC_UNKNOWN_TYPE.name()).percentage(p -> p > 5);
        });
        try {
            codec.parse(text);
        } catch (CodecException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.CODEC_MALFORMED_JSON);
            assertThat(e.offset()).isBetween(0L, (long) text.length());
        }
    }

    /**
     * Valid frame text with a few random character edits (deletions, insertions, replacements, duplicated
     * slices) decodes or fails with a {@link CodecException}.
     *
     * @param frame any frame
     * @param random the edits
     */
    @Property(tries = 1000)
    @Label("mutated frame text decodes or fails with CodecException")
    default void mutatedTextDecodesOrFailsCleanly(@ForAll("anyFrame") Frame frame, @ForAll Random random) {
        FrameCodec codec = codec();
        String text = mutateText(codec.encode(frame), random);
        Statistics.label("outcome").collect(checkDecodesOrFailsCleanly(codec, text, Frames.familyOf(frame)));
        Statistics.label("outcome").coverage(c -> {
            c.check("decoded").count(n -> n > 0);
            c.check(ErrorCode.CODEC_MALFORMED_JSON.name()).percentage(p -> p > 10);
        });
    }

    /**
     * Every strict prefix of a frame's text is malformed JSON, reported with an offset inside the text.
     *
     * @param frame any frame
     * @param cut where to cut, as a fraction of the length
     */
    @Property(tries = 1000)
    @Label("truncated frames are CODEC_MALFORMED_JSON")
    default void truncatedFramesAreMalformed(@ForAll("anyFrame") Frame frame,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double cut) {
        FrameCodec codec = codec();
        String text = codec.encode(frame);
        String prefix = text.substring(0, (int) (cut * text.length()));
        CodecException e = decodeFailure(codec, prefix, Frames.familyOf(frame));
        assertThat(e.code()).as(prefix).isEqualTo(ErrorCode.CODEC_MALFORMED_JSON);
        assertThat(e.offset()).isBetween(0L, (long) prefix.length());
        assertThat(e.path()).isEmpty();
    }

    /**
     * Removing a member or replacing it with a value of any type gives the outcome the protocol defines for
     * that member: required members must be present and of their type; optional ones may be absent or
     * {@code null}; timestamps and {@code requestId} of the wrong type read as absent; relayed values
     * ({@code message}, {@code question}, {@code response}, legacy {@code publicKey} echoes) are kept as
     * they are. A failure is {@code CODEC_INVALID_FRAME} naming the member's path.
     *
     * @param frame any frame
     * @param pick which member (modulo the number of members)
     * @param remove whether to remove the member rather than replace it
     * @param value the replacement
     */
    @Property(tries = 1000)
    @Label("a removed or wrong-typed member fails at its path, or reads as the protocol says")
    default void membersAreCheckedByType(@ForAll("anyFrame") Frame frame,
            @ForAll @IntRange(min = 0, max = 10_000) int pick, @ForAll boolean remove,
            @ForAll("replacement") JsonValue value) {
        FrameCodec codec = codec();
        Class<? extends Frame> family = Frames.familyOf(frame);
        JsonValue.JsonObject tree = (JsonValue.JsonObject) codec.toJson(frame);
        List<MemberMutations.Target> targets = MemberMutations.targets(tree, family);
        if (targets.isEmpty()) {
            return;
        }
        // Pick a kind first, then a member of that kind, so rare kinds (arrays, bytes) get their share.
        java.util.Map<WireSchema.Kind, List<MemberMutations.Target>> byKind = new java.util.TreeMap<>();
        targets.forEach(t -> byKind.computeIfAbsent(t.member().kind(), k -> new ArrayList<>()).add(t));
        List<List<MemberMutations.Target>> groups = new ArrayList<>(byKind.values());
        List<MemberMutations.Target> group = groups.get(pick % groups.size());
        MemberMutations.Target target = group.get((pick / groups.size()) % group.size());
        Optional<JsonValue> newValue = remove ? Optional.empty() : Optional.of(value);
        Optional<JsonValue> original = JsonTrees.at(tree, target.steps());
        if (!remove && (pick / 7) % 2 == 0 && original.isPresent()
                && original.get() instanceof JsonValue.JsonArray array
                && (target.member().kind() == WireSchema.Kind.STRINGS
                        || target.member().kind() == WireSchema.Kind.BYTES)) {
            // Half the time, put the replacement inside the array, so elements get checked one by one.
            List<JsonValue> elements = new ArrayList<>(array.elements());
            elements.add(pick % (elements.size() + 1), value);
            newValue = Optional.of(new JsonValue.JsonArray(elements));
        }
        JsonValue mutated = JsonTrees.with(tree, target.steps(), newValue);
        String text = codec.write(mutated);
        String path = target.path();
        MemberMutations.Expected expected = MemberMutations.expected(target.member(), newValue);
        String what = (remove ? "without " + path : path + " = " + codec.write(newValue.get())) + ": " + text;
        Statistics.label("expected").collect(expected);
        Statistics.label("expected").coverage(c -> {
            c.check(MemberMutations.Expected.DECODES).percentage(p -> p > 20);
            c.check(MemberMutations.Expected.FAILS_AT_TARGET).percentage(p -> p > 20);
            c.check(MemberMutations.Expected.FAILS_INSIDE_TARGET).count(n -> n > 0);
            c.check(MemberMutations.Expected.DECODES_OR_FAILS_INSIDE).count(n -> n > 0);
        });

        Frame decoded;
        try {
            decoded = codec.decode(text, family);
        } catch (CodecException e) {
            assertThat(expected).as("%s failed with %s", what, e.getMessage())
                    .isNotEqualTo(MemberMutations.Expected.DECODES);
            assertThat(e.code()).as(what).isEqualTo(ErrorCode.CODEC_INVALID_FRAME);
            String reported = e.path().orElse("");
            if (expected == MemberMutations.Expected.FAILS_AT_TARGET) {
                assertThat(reported).as(what).isEqualTo(path);
            } else {
                assertThat(reported.equals(path) || reported.startsWith(path + ".") || reported.startsWith(path + "["))
                        .as("%s reported path %s", what, reported).isTrue();
            }
            assertThat(e.getMessage()).as(what).contains(reported);
            return;
        }
        assertThat(expected).as("%s decoded to %s", what, decoded).isIn(MemberMutations.Expected.DECODES,
                MemberMutations.Expected.DECODES_OR_FAILS_INSIDE);
        assertThat(Frames.familyOf(decoded)).isEqualTo(family);
        JsonValue reencoded = codec.toJson(decoded);
        Optional<JsonValue> shown = MemberMutations.reencoded(target.member(), newValue);
        if (shown != null) {
            Optional<JsonValue> actual = JsonTrees.at(reencoded, target.steps());
            if (shown.isEmpty()) {
                assertThat(actual.isEmpty() || actual.get() instanceof JsonValue.JsonNull)
                        .as("%s re-encoded as %s", what, actual).isTrue();
            } else {
                assertThat(actual).as("%s re-encoded", what).isPresent();
                assertThat(JsonTrees.same(actual.get(), shown.get()))
                        .as("%s re-encoded as %s", what, codec.write(actual.get())).isTrue();
            }
        }
        JsonValue restBefore = JsonTrees.with(tree, target.steps(), Optional.empty());
        JsonValue restAfter = JsonTrees.with(reencoded, target.steps(), Optional.empty());
        assertThat(JsonTrees.same(restAfter, restBefore)).as("%s changed other members: %s", what,
                codec.write(restAfter)).isTrue();
    }

    /**
     * A {@code type} that is missing or not a string is {@code CODEC_INVALID_FRAME} at {@code type}; a string
     * the family does not define is {@code CODEC_UNKNOWN_TYPE} at {@code type}.
     *
     * @param frame any frame, whose family and payload are used
     * @param type a made-up type
     * @param notAString a replacement that is not a string
     */
    @Property(tries = 1000)
    @Label("bad types are CODEC_INVALID_FRAME or CODEC_UNKNOWN_TYPE at 'type'")
    default void typesAreChecked(@ForAll("anyFrame") Frame frame, @ForAll("typeNames") String type,
            @ForAll("replacement") JsonValue notAString) {
        FrameCodec codec = codec();
        Class<? extends Frame> family = Frames.familyOf(frame);
        JsonValue tree = codec.toJson(frame);
        List<Object> at = List.of("type");

        CodecException missing = decodeFailure(codec, codec.write(JsonTrees.with(tree, at, Optional.empty())), family);
        assertThat(missing.code()).isEqualTo(ErrorCode.CODEC_INVALID_FRAME);
        assertThat(missing.path()).contains("type");

        if (!(notAString instanceof JsonValue.JsonString)) {
            CodecException wrong = decodeFailure(codec,
                    codec.write(JsonTrees.with(tree, at, Optional.of(notAString))), family);
            assertThat(wrong.code()).isEqualTo(ErrorCode.CODEC_INVALID_FRAME);
            assertThat(wrong.path()).contains("type");
        }

        Set<String> known = Set.copyOf(WireSchema.types(family));
        if (!type.isEmpty() && !known.contains(type)) {
            CodecException unknown = decodeFailure(codec,
                    codec.write(JsonTrees.with(tree, at, Optional.of(JsonValue.of(type)))), family);
            assertThat(unknown.code()).isEqualTo(ErrorCode.CODEC_UNKNOWN_TYPE);
            assertThat(unknown.path()).contains("type");
        }
    }

    /**
     * Made-up frame types, and the types of the other direction.
     *
     * @return type names
     */
    @Provide
    default Arbitrary<String> typeNames() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.of("banana", "REGISTER", "register ", "Message", "ping")),
                Tuple.of(1, Arbitraries.of(Frames.families()).flatMap(f -> Arbitraries.of(WireSchema.types(f)))),
                Tuple.of(2, Frames.anyText()));
    }

    /**
     * Unknown members at the top level and in the payload are ignored; unknown members of {@code encrypted}
     * objects are kept and written back ({@code l2ps.md} §12 item 30).
     *
     * @param frame any frame
     * @param name the unknown member's name, prefixed to avoid real member names
     * @param value its value
     */
    @Property(tries = 1000)
    @Label("unknown members are ignored, except in 'encrypted' where they are kept")
    default void unknownMembersAreIgnoredOrRelayed(@ForAll("anyFrame") Frame frame,
            @ForAll("unknownNames") String name, @ForAll("anyJson") JsonValue value) {
        FrameCodec codec = codec();
        Class<? extends Frame> family = Frames.familyOf(frame);
        JsonValue tree = codec.toJson(frame);
        JsonValue withTop = JsonTrees.with(tree, List.of(name), Optional.of(value));
        assertThat(codec.decode(codec.write(withTop), family)).isEqualTo(frame);

        boolean verbatimPayload = frame instanceof io.github.demosim.frame.legacy.DebugQuestion;
        Optional<JsonValue> payload = JsonTrees.at(tree, List.of("payload"));
        if (!verbatimPayload && payload.isPresent() && payload.get() instanceof JsonValue.JsonObject) {
            JsonValue withPayload = JsonTrees.with(tree, List.of("payload", name), Optional.of(value));
            assertThat(codec.decode(codec.write(withPayload), family)).isEqualTo(frame);
        }

        for (MemberMutations.Target t : MemberMutations.targets((JsonValue.JsonObject) tree, family)) {
            if (t.member().nested() == WireSchema.ENCRYPTED && JsonTrees.at(tree, t.steps()).isPresent()) {
                List<Object> steps = new ArrayList<>(t.steps());
                steps.add(name);
                JsonValue withExtra = JsonTrees.with(tree, steps, Optional.of(value));
                JsonValue back = codec.toJson(codec.decode(codec.write(withExtra), family));
                assertThat(back).as("extra member %s kept", JsonTrees.pathOf(steps)).isEqualTo(withExtra);
            }
        }
    }

    /**
     * Names no frame uses.
     *
     * @return member names
     */
    @Provide
    default Arbitrary<String> unknownNames() {
        return Frames.anyText().map(s -> "x-" + s);
    }

    /**
     * An L2PS envelope timestamp that is integral decodes to that instant whatever its notation
     * ({@code 1709312400000.0}, {@code 1.7093124E12}, {@code 17093124000000e-1}; {@code l2ps.md} §12 item 10);
     * a fractional one decodes as absent and leaves the rest of the frame intact.
     *
     * @param frame an L2PS frame with a timestamp
     * @param extraDigits how many zero fraction digits, or how far to shift the exponent
     */
    @Property(tries = 1000)
    @Label("integral timestamps in any notation decode to the same instant")
    default void integralTimestampsInAnyNotation(@ForAll("timestampedL2psFrame") L2psFrame frame,
            @ForAll @IntRange(min = 1, max = 4) int extraDigits) {
        FrameCodec codec = codec();
        Class<? extends Frame> family = Frames.familyOf(frame);
        String text = codec.encode(frame);
        String t = Long.toString(frame.timestamp());
        String sign = t.startsWith("-") ? "-" : "";
        String digits = sign.isEmpty() ? t : t.substring(1);
        String zeros = "0".repeat(extraDigits);
        List<String> notations = List.of(
                t + "." + zeros,
                sign + digits.charAt(0) + "." + digits.substring(1) + zeros + "E" + (digits.length() - 1),
                sign + digits.charAt(0) + "." + (digits.length() == 1 ? "0" : digits.substring(1)) + "e+"
                        + (digits.length() - 1),
                (t.equals("0") ? t : t + zeros) + "e-" + extraDigits);
        for (String notation : notations) {
            String variant = withEnvelopeTimestamp(text, t, notation);
            assertThat(codec.decode(variant, family)).as(variant).isEqualTo(frame);
        }
        String fractional = withEnvelopeTimestamp(text, t, t + "." + zeros.substring(1) + "5");
        L2psFrame decoded = (L2psFrame) codec.decode(fractional, family);
        assertThat(decoded.timestamp()).as(fractional).isNull();
        assertThat(codec.toJson(decoded)).isEqualTo(
                JsonTrees.with(codec.toJson(frame), List.of("timestamp"), Optional.empty()));
    }

    // ------------------------------------------------------------------ helpers

    /** Returns "decoded" or the name of the CodecException's code. */
    private static String checkDecodesOrFailsCleanly(FrameCodec codec, String text, Class<? extends Frame> family) {
        try {
            Frame f = codec.decode(text, family);
            assertThat(f).isNotNull();
            assertThat(family.isInstance(f)).as("decoded %s as %s", f, family.getSimpleName()).isTrue();
            return "decoded";
        } catch (CodecException e) {
            checkCodecException(e, text);
            return e.code().name();
        } catch (RuntimeException | Error e) {
            throw new AssertionError("decoding " + text + " as " + family.getSimpleName() + " threw " + e
                    + " instead of a CodecException", e);
        }
    }

    private static CodecException decodeFailure(FrameCodec codec, String text, Class<? extends Frame> family) {
        try {
            Frame f = codec.decode(text, family);
            throw new AssertionError("expected a CodecException for " + text + ", but decoded " + f);
        } catch (CodecException e) {
            checkCodecException(e, text);
            return e;
        }
    }

    private static void checkCodecException(CodecException e, String text) {
        assertThat(e.code()).as(text).isIn(ErrorCode.CODEC_MALFORMED_JSON, ErrorCode.CODEC_INVALID_FRAME,
                ErrorCode.CODEC_UNKNOWN_TYPE);
        assertThat(e.getMessage()).as(text).endsWith("[" + e.code().id() + "]")
                .hasSizeGreaterThan(e.code().id().length() + 10);
        if (e.code() == ErrorCode.CODEC_MALFORMED_JSON) {
            assertThat(e.offset()).as("offset of %s in %s", e.getMessage(), text).isBetween(0L, (long) text.length());
        } else {
            assertThat(e.offset()).as(text).isEqualTo(-1L);
        }
        if (e.code() == ErrorCode.CODEC_UNKNOWN_TYPE) {
            assertThat(e.path()).as(text).contains("type");
        }
    }

    /**
     * Rewrites the envelope timestamp's literal. In compact JSON the raw characters {@code ,"timestamp":} only
     * occur as a member (quotes inside strings are escaped), and the envelope's comes after the payload, so it
     * is the last one.
     */
    private static String withEnvelopeTimestamp(String text, String literal, String replacement) {
        String key = ",\"timestamp\":";
        int at = text.lastIndexOf(key) + key.length();
        assertThat(text.startsWith(literal, at)).as("timestamp %s at %d of %s", literal, at, text).isTrue();
        return text.substring(0, at) + replacement + text.substring(at + literal.length());
    }

    private static String mutateText(String text, Random random) {
        String alphabet = "{}[]\":,.-+0123456789eEtrufalsn \\u";
        StringBuilder s = new StringBuilder(text);
        int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits; i++) {
            int at = s.length() == 0 ? 0 : random.nextInt(s.length());
            switch (random.nextInt(4)) {
                case 0:
                    if (s.length() > 0) {
                        s.deleteCharAt(at);
                    }
                    break;
                case 1:
                    s.insert(at, random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                            : alphabet.charAt(random.nextInt(alphabet.length())));
                    break;
                case 2:
                    if (s.length() > 0) {
                        s.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    }
                    break;
                default:
                    int end = Math.min(s.length(), at + random.nextInt(20));
                    s.insert(at, s.substring(at, end));
                    break;
            }
        }
        return s.toString();
    }

    /**
     * Writes JSON without a codec, so generators need none: compact, strings escaped as {@code JSON.stringify}
     * does (lone surrogates included as they are).
     */
    private static String writeForTest(JsonValue value) {
        StringBuilder out = new StringBuilder();
        JsonWriter.write(value, out);
        return out.toString();
    }
}
