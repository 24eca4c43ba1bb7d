package io.github.demosim.internal.wire;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.spi.FrameCodec;
import io.github.demosim.spi.JsonSyntax;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The {@link FrameCodec} of every codec provider: the frame mapping ({@link FrameEncoder}, {@link FrameDecoder})
 * over a provider's {@link JsonSyntax}. Encoding streams a frame's events straight into the syntax's writer;
 * decoding reads the text onto a {@link Tape} and decodes from it. Stateless and thread-safe.
 */
public final class WireCodec implements FrameCodec {
    private final JsonSyntax syntax;

    /**
     * Creates the codec; use {@link FrameCodec#of(JsonSyntax)}.
     *
     * @param syntax the provider's syntax
     */
    public WireCodec(JsonSyntax syntax) {
        this.syntax = syntax;
    }

    @Override
    public String encode(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        return encoding(frame, () -> syntax.write(out -> FrameEncoder.write(frame, out)));
    }

    @Override
    public <F extends Frame> F decode(String text, Class<F> family) {
        Objects.requireNonNull(text, "text");
        FrameDecoder.checkFamily(Objects.requireNonNull(family, "family"));
        // The whole text is read before any frame rule applies: malformed JSON is reported as such.
        Tape tape = syntax.read(text, Tape::read);
        return FrameDecoder.decode(tape, family);
    }

    @Override
    public JsonValue parse(String text) {
        return syntax.read(Objects.requireNonNull(text, "text"), JsonTrees::read);
    }

    @Override
    public String write(JsonValue value) {
        Objects.requireNonNull(value, "value");
        return syntax.write(out -> JsonTrees.write(value, out));
    }

    @Override
    public JsonValue toJson(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        JsonTrees.TreeSink tree = new JsonTrees.TreeSink();
        return encoding(frame, () -> {
            FrameEncoder.write(frame, tree);
            return tree.result();
        });
    }

    @Override
    public <F extends Frame> F fromJson(JsonValue json, Class<F> family) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(family, "family");
        return FrameDecoder.fromJson(json, family);
    }

    /**
     * Runs an encoding. A record built around its compact constructor (a {@code null} inside a list given
     * without a copy) cannot be written: that is a {@link CodecException} too, not a bare runtime exception.
     */
    private static <T> T encoding(Frame frame, Supplier<T> encoding) {
        try {
            return encoding.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CodecException(ErrorCode.CODEC_ENCODE_FAILED, "Cannot encode a '" + frame.type()
                    + "' frame: " + e.getMessage(), null, -1, e);
        }
    }

    @Override
    public String toString() {
        return "FrameCodec(" + syntax + ")";
    }
}
