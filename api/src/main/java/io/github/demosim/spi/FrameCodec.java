package io.github.demosim.spi;

import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.WireCodec;
import java.util.Objects;

/**
 * Turns frames into JSON text and back. Thread-safe.
 *
 * <p>A codec provider need not implement this interface: it implements {@link JsonSyntax} (text to tokens and
 * events to text, on its JSON library) and returns {@link #of(JsonSyntax)}, which adds the SDK's frame mapping,
 * the one place that knows the members of every frame. The rules below are that mapping's.
 *
 * <p>Encoding writes compact JSON, non-ASCII as raw UTF-8, envelope keys in the order
 * {@code type, payload, timestamp, requestId}, payload keys in the order the reference writes them, and omits
 * absent optional fields. Decoding accepts members in any order and ignores unknown members, except inside
 * {@code encrypted}, whose unknown members are kept and relayed.
 *
 * <p>Decoding rules every codec follows (the tck's {@code CodecContract} checks them member by member):
 * <ul>
 *   <li>A member the record documents as never absent is required; JSON {@code null} counts as absent. Optional
 *       members may be absent or {@code null}. Members of record type {@link JsonValue} (the legacy
 *       {@code message}, {@code question}, {@code response}, {@code debug_question} payload and
 *       {@code public_key_response.publicKey}) are relayed verbatim, {@code null} included, but must be present.</li>
 *   <li>A timestamp (the L2PS envelope {@code timestamp}, {@code message.sentAt}, the legacy offline
 *       {@code message.timestamp}) that is an integral JSON number in any notation ({@code 1709312400000},
 *       {@code 1709312400000.0}, {@code 1.7093124E12}) is that instant. Any other value reads as absent: the
 *       reference never validates it, and a fractional one could not verify in a proof string anyway (a
 *       documented deviation). Likewise a {@code requestId} that is not a string reads as absent, because the
 *       reference server ignores it.</li>
 *   <li>Legacy {@code register.publicKey} is a JSON array of integers 0..255; integers elsewhere must be
 *       integral and fit their Java type.</li>
 *   <li>The legacy protocol reuses {@code register}, {@code discover} and {@code message} in both directions,
 *       so decoding needs the family (protocol and direction).</li>
 * </ul>
 *
 * <p>Every failure is a {@link io.github.demosim.CodecException} naming what was wrong and where: code
 * {@code CODEC_MALFORMED_JSON} with the character {@link io.github.demosim.CodecException#offset() offset},
 * {@code CODEC_INVALID_FRAME} or {@code CODEC_UNKNOWN_TYPE} with the JSON
 * {@link io.github.demosim.CodecException#path() path} ({@code payload.encrypted.nonce},
 * {@code payload.messages[0].id}), {@code CODEC_ENCODE_FAILED} for a frame with a required field set to
 * {@code null}. No exception of the underlying JSON library escapes. An unknown {@code family} is an
 * {@link IllegalArgumentException}.
 */
public interface FrameCodec {

    /**
     * Returns the codec that reads and writes text with {@code syntax} and maps it to frames with the SDK's frame
     * mapping: what {@link CodecProvider#create()} returns.
     *
     * @param syntax the JSON syntax of a codec provider
     * @return a thread-safe codec
     */
    static FrameCodec of(JsonSyntax syntax) {
        return new WireCodec(Objects.requireNonNull(syntax, "syntax"));
    }

    /**
     * Encodes a frame as JSON text.
     *
     * @param frame the frame
     * @return compact JSON
     * @throws io.github.demosim.CodecException if the frame cannot be encoded
     */
    String encode(Frame frame);

    /**
     * Decodes JSON text into a frame of the given family.
     *
     * @param <F> the family
     * @param text the JSON text of one WebSocket message
     * @param family one of {@code L2psClientFrame.class}, {@code L2psServerFrame.class},
     *     {@code LegacyClientFrame.class}, {@code LegacyServerFrame.class}
     * @return the frame
     * @throws io.github.demosim.CodecException if the text is not JSON, not a frame of that family, or a field
     *     is missing or of the wrong type
     */
    <F extends Frame> F decode(String text, Class<F> family);

    /**
     * Parses JSON text into a value tree.
     *
     * @param text JSON text
     * @return the value
     * @throws io.github.demosim.CodecException if the text is not one JSON value
     */
    JsonValue parse(String text);

    /**
     * Writes a value tree as compact JSON text.
     *
     * @param value the value
     * @return compact JSON
     */
    String write(JsonValue value);

    /**
     * Converts a frame into its JSON tree (what {@link #encode} writes).
     *
     * @param frame the frame
     * @return the JSON object of the whole frame
     */
    JsonValue toJson(Frame frame);

    /**
     * Converts a JSON tree into a frame of the given family (what {@link #decode} does after parsing).
     *
     * @param <F> the family
     * @param json the JSON object of the whole frame
     * @param family the frame family, as for {@link #decode}
     * @return the frame
     * @throws io.github.demosim.CodecException if the tree is not a frame of that family
     */
    <F extends Frame> F fromJson(JsonValue json, Class<F> family);
}
