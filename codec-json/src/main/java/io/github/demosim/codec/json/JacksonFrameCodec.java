package io.github.demosim.codec.json;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.FrameDecoder;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.spi.FrameCodec;
import java.util.Objects;

/**
 * The {@link FrameCodec} on Jackson's streaming API. Stateless and thread-safe: text is parsed into a
 * {@link JsonValue} tree ({@link JsonText}) and mapped to records ({@link FrameDecoder}); encoding goes the
 * other way ({@link FrameEncoder}).
 */
final class JacksonFrameCodec implements FrameCodec {

    @Override
    public String encode(Frame frame) {
        return JsonText.write(toJson(frame));
    }

    @Override
    public <F extends Frame> F decode(String text, Class<F> family) {
        Objects.requireNonNull(text, "text");
        FrameDecoder.checkFamily(Objects.requireNonNull(family, "family"));
        return fromJson(JsonText.parse(text), family);
    }

    @Override
    public JsonValue parse(String text) {
        return JsonText.parse(Objects.requireNonNull(text, "text"));
    }

    @Override
    public String write(JsonValue value) {
        return JsonText.write(Objects.requireNonNull(value, "value"));
    }

    @Override
    public JsonValue toJson(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        try {
            return FrameEncoder.toJson(frame);
        } catch (IllegalArgumentException | NullPointerException e) {
            // A record built around its compact constructor (e.g. a null inside a list) cannot be written.
            throw new CodecException(ErrorCode.CODEC_ENCODE_FAILED, "Cannot encode a '" + frame.type()
                    + "' frame: " + e.getMessage(), null, -1, e);
        }
    }

    @Override
    public <F extends Frame> F fromJson(JsonValue json, Class<F> family) {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(family, "family");
        return FrameDecoder.fromJson(json, family);
    }

    @Override
    public String toString() {
        return "JacksonFrameCodec";
    }
}
