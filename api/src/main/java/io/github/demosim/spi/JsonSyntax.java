package io.github.demosim.spi;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The part of a JSON codec that depends on a JSON library: text to tokens, and events to text. A codec provider
 * implements it and returns {@link FrameCodec#of FrameCodec.of(syntax)} from {@link CodecProvider#create()}:
 * <pre>{@code
 * public final class MyCodecProvider implements CodecProvider {
 *     public String name() { return "my-json"; }
 *     public FrameCodec create() { return FrameCodec.of(new MyJsonSyntax()); }
 * }
 * }</pre>
 * Everything the protocols define (member names and order, required and optional members, relayed values,
 * lenient timestamps, error messages and paths) is the SDK's frame mapping, the same for every codec; a syntax
 * never sees a frame. Implementations are thread-safe; each call gets its own source or sink.
 */
public interface JsonSyntax {

    /**
     * Reads one JSON value: runs {@code reader} over the tokens of {@code text}, then checks that only whitespace
     * follows the value. Follows {@code JSON.parse}: strict RFC 8259 syntax, one value with optional surrounding
     * whitespace; duplicate member names are passed on as they come (the reader keeps the last).
     *
     * @param <T> what the reader makes
     * @param text JSON text, not {@code null}
     * @param reader reads exactly one value from the source; its exceptions pass through unchanged
     * @return what the reader returned
     * @throws io.github.demosim.CodecException {@code CODEC_MALFORMED_JSON} with the character offset, if the text
     *     is not one JSON value ({@link JsonSource#next()}) or more than whitespace follows it
     */
    <T> T read(String text, Function<JsonSource, T> reader);

    /**
     * Writes one JSON value: runs {@code writer} on a fresh sink and returns the text. The text is compact (no
     * whitespace), non-ASCII characters are written as they are, strings and names are escaped as
     * {@code JSON.stringify} escapes them ({@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control
     * characters as lowercase hex escapes, backslash and {@code u001f}), integers in plain digits and decimals as
     * {@link java.math.BigDecimal#toString()} spells them.
     *
     * @param writer writes exactly one value into the sink; its exceptions pass through unchanged
     * @return the JSON text
     * @throws io.github.demosim.CodecException {@code CODEC_ENCODE_FAILED} if the library cannot write the value
     */
    String write(Consumer<JsonSink> writer);
}
