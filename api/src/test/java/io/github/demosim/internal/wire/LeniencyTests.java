package io.github.demosim.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.Send;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Example;

/**
 * The decoder's lenient path, which the server's reference mode needs where the reference accepts quirky
 * input: a numeric {@code to} read through JavaScript's {@code String(value)}, a numeric string as a history
 * {@code limit} (l2ps.md §7.1, PostgreSQL reads it). The codecs decode strictly.
 */
class LeniencyTests {
    /** Numbers as JavaScript prints them, strings of digits as integers: a sample of what the reference does. */
    private static final Leniency JAVASCRIPT = new Leniency() {
        @Override
        public String string(JsonValue value) {
            return value instanceof JsonValue.JsonNumber n ? JsNumber.toString(n.value()) : null;
        }

        @Override
        public Long integer(JsonValue value) {
            return value instanceof JsonValue.JsonString s && s.value().strip().matches("[+-]?[0-9]{1,18}")
                    ? Long.parseLong(s.value().strip()) : null;
        }
    };

    private static JsonValue frame(String type, Map<String, JsonValue> payload) {
        Map<String, JsonValue> root = new LinkedHashMap<>();
        root.put("type", JsonValue.of(type));
        root.put("payload", new JsonValue.JsonObject(payload));
        root.put("timestamp", JsonValue.of(1709312400000L));
        return new JsonValue.JsonObject(root);
    }

    private static Map<String, JsonValue> send(JsonValue to) {
        Map<String, JsonValue> encrypted = new LinkedHashMap<>();
        encrypted.put("ciphertext", JsonValue.of("c"));
        encrypted.put("nonce", JsonValue.of("n"));
        Map<String, JsonValue> p = new LinkedHashMap<>();
        p.put("to", to);
        p.put("encrypted", new JsonValue.JsonObject(encrypted));
        p.put("messageHash", JsonValue.of("h"));
        return p;
    }

    @Example
    void aNumericRecipientIsRefusedStrictlyAndReadAsJavaScriptWouldLeniently() {
        JsonValue tree = frame("send", send(new JsonValue.JsonNumber(new BigDecimal("1.50"))));
        CodecException strict = catchThrowableOfType(CodecException.class,
                () -> FrameDecoder.fromJson(tree, L2psClientFrame.class));
        assertThat(strict.code()).isEqualTo(ErrorCode.CODEC_INVALID_FRAME);
        assertThat(strict.path()).contains("payload.to");
        assertThat(FrameDecoder.fromJson(tree, L2psClientFrame.class, JAVASCRIPT))
                .isEqualTo(new Send("1.5", Encrypted.of("c", "n", null), "h", 1709312400000L, null));
    }

    @Example
    void aNumericStringLimitIsReadLenientlyOnly() {
        Map<String, JsonValue> p = new LinkedHashMap<>();
        p.put("peerKey", JsonValue.of("b0b"));
        p.put("proof", JsonValue.of("sig"));
        p.put("limit", JsonValue.of(" 20"));
        JsonValue tree = frame("history", p);
        assertThat(catchThrowableOfType(CodecException.class, () -> FrameDecoder.fromJson(tree, L2psClientFrame.class))
                .path()).contains("payload.limit");
        assertThat(FrameDecoder.fromJson(tree, L2psClientFrame.class, JAVASCRIPT))
                .isEqualTo(new History("b0b", "sig", null, 20, 1709312400000L, null));
    }

    @Example
    void whatTheLeniencyRefusesFailsAsStrictly() {
        JsonValue tree = frame("send", send(JsonValue.of(true)));
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> FrameDecoder.fromJson(tree, L2psClientFrame.class, JAVASCRIPT));
        assertThat(e.getMessage()).startsWith("Invalid L2PS client frame 'send': payload.to must be a string, but is true");
    }
}
