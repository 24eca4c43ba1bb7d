package io.github.demosim.spi;

import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;

/**
 * Turns frames into JSON text and back. Thread-safe.
 *
 * <p>Encoding writes compact JSON, non-ASCII as raw UTF-8, envelope keys in the order
 * {@code type, payload, timestamp, requestId}, payload keys in the order the reference writes them, and omits
 * absent optional fields. Decoding accepts members in any order and ignores unknown members, except inside
 * {@code encrypted}, whose unknown members are kept and relayed.
 *
 * <p>Every failure is a {@link io.github.demosim.CodecException} naming what was wrong and where; no exception
 * of the underlying JSON library escapes.
 */
public interface FrameCodec {

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
