package io.github.demosim.codec.json;

import io.github.demosim.L2psStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.demosim.Bytes;
import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.ErrorFrame;
import io.github.demosim.frame.l2ps.History;
import io.github.demosim.frame.l2ps.HistoryResponse;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.frame.l2ps.PublicKeyResponse;
import io.github.demosim.frame.l2ps.Register;
import io.github.demosim.frame.l2ps.Registered;
import io.github.demosim.frame.l2ps.Send;
import io.github.demosim.frame.l2ps.StoredMessage;
import io.github.demosim.frame.legacy.DebugQuestion;
import io.github.demosim.frame.legacy.Discover;
import io.github.demosim.frame.legacy.DiscoverResponse;
import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import io.github.demosim.frame.legacy.RegisterAck;
import io.github.demosim.frame.legacy.SendMessage;
import io.github.demosim.spi.FrameCodec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Examples of the codec's wire rules and error reports; the exhaustive checks are the tck contract. */
class JacksonFrameCodecTests {
    private static final String A = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String B = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private static final String HASH = "313d7d10fa0c454ebb9c5e448d8c1f3a6fc83c901d02f616de80f0e41d3bf157";

    private final FrameCodec codec = new JacksonCodecProvider().create();

    @Test
    void envelopeKeysInReferenceOrderAndAbsentOptionalsOmitted() {
        // l2ps.md §2: type, payload, timestamp, requestId; compact
        assertThat(codec.encode(new io.github.demosim.frame.l2ps.Discover(1709312400200L, "req_1_ab")))
                .isEqualTo("{\"type\":\"discover\",\"payload\":{},\"timestamp\":1709312400200,\"requestId\":\"req_1_ab\"}");
        assertThat(codec.encode(new io.github.demosim.frame.l2ps.Discover(null, null)))
                .isEqualTo("{\"type\":\"discover\",\"payload\":{}}");
    }

    @Test
    void storedMessageWritesNullTxHashAndReferenceKeyOrder() {
        // l2ps.md §3.2 StoredMessage key order; l2psTxHash null written as null
        StoredMessage m = new StoredMessage("0b9f4c1e-3f57-4a51-9d2e-6c1f0f7b8a11", A, B, HASH,
                Encrypted.of("SGVsbG8gQm9iIQ==", "AAECAwQFBgcICQoL", null), "testnet_l2ps_001", null,
                1709312400150L, L2psStatus.DELIVERED);
        String json = codec.encode(new HistoryResponse(List.of(m), false, 1709312460010L, null));
        assertThat(json).isEqualTo("{\"type\":\"history_response\",\"payload\":{\"messages\":[{\"id\":"
                + "\"0b9f4c1e-3f57-4a51-9d2e-6c1f0f7b8a11\",\"from\":\"" + A + "\",\"to\":\"" + B
                + "\",\"messageHash\":\"" + HASH + "\",\"encrypted\":{\"ciphertext\":\"SGVsbG8gQm9iIQ==\","
                + "\"nonce\":\"AAECAwQFBgcICQoL\"},\"l2psUid\":\"testnet_l2ps_001\",\"l2psTxHash\":null,"
                + "\"timestamp\":1709312400150,\"status\":\"delivered\"}],\"hasMore\":false},"
                + "\"timestamp\":1709312460010}");
        assertThat(codec.decode(json, L2psServerFrame.class))
                .isEqualTo(new HistoryResponse(List.of(m), false, 1709312460010L, null));
    }

    @Test
    void extensionFieldsOmittedWhenAbsentAndWrittenWhenSet() {
        assertThat(codec.encode(new Register(A, "net", "sig", null, List.of(), 1L, null)))
                .isEqualTo("{\"type\":\"register\",\"payload\":{\"publicKey\":\"" + A
                        + "\",\"l2psUid\":\"net\",\"proof\":\"sig\"},\"timestamp\":1}");
        assertThat(codec.encode(new Register(A, "net", "sig", "S0VN", List.of("ack"), 1L, null)))
                .isEqualTo("{\"type\":\"register\",\"payload\":{\"publicKey\":\"" + A
                        + "\",\"l2psUid\":\"net\",\"proof\":\"sig\",\"kemPublicKey\":\"S0VN\",\"features\":[\"ack\"]},"
                        + "\"timestamp\":1}");
        assertThat(codec.encode(new Registered(true, A, "net", List.of(), List.of(), null, null)))
                .isEqualTo("{\"type\":\"registered\",\"payload\":{\"success\":true,\"publicKey\":\"" + A
                        + "\",\"l2psUid\":\"net\",\"onlinePeers\":[]}}");
        assertThat(codec.encode(new PublicKeyResponse(B, null, null, null, null)))
                .isEqualTo("{\"type\":\"public_key_response\",\"payload\":{\"targetId\":\"" + B
                        + "\",\"publicKey\":null}}");
    }

    @Test
    void encryptedKeepsUnknownMembersInOrderForRelaying() {
        String text = "{\"type\":\"send\",\"payload\":{\"to\":\"" + B + "\",\"encrypted\":{\"v\":2,\"nonce\":\"n\","
                + "\"ciphertext\":\"c\",\"meta\":{\"x\":[1,2.50]},\"ephemeralKey\":\"ek\"},\"messageHash\":\"h\","
                + "\"extraPayload\":true},\"unknownTop\":1}";
        Send send = (Send) codec.decode(text, L2psClientFrame.class);
        Map<String, JsonValue> extra = new LinkedHashMap<>();
        extra.put("v", JsonValue.of(2));
        extra.put("meta", codec.parse("{\"x\":[1,2.50]}"));
        assertThat(send.encrypted()).isEqualTo(new Encrypted("c", "n", "ek", extra));
        assertThat(codec.encode(send)).isEqualTo("{\"type\":\"send\",\"payload\":{\"to\":\"" + B
                + "\",\"encrypted\":{\"ciphertext\":\"c\",\"nonce\":\"n\",\"ephemeralKey\":\"ek\",\"v\":2,"
                + "\"meta\":{\"x\":[1,2.50]}},\"messageHash\":\"h\"}}");
    }

    @Test
    void integralTimestampsInAnyNotationDecodeToTheLong() {
        // l2ps.md §12 item 10: a float JSON timestamp 1709312400000.0 is the same instant
        for (String t : List.of("1709312400000", "1709312400000.0", "1.7093124E12", "17093124000000e-1")) {
            Message m = (Message) codec.decode("{\"type\":\"message\",\"payload\":{\"from\":\"" + A
                    + "\",\"encrypted\":{\"ciphertext\":\"c\",\"nonce\":\"n\"},\"messageHash\":\"h\",\"offline\":false},"
                    + "\"timestamp\":" + t + "}", L2psServerFrame.class);
            assertThat(m.timestamp()).as(t).isEqualTo(1709312400000L);
        }
        for (String t : List.of("1709312400000.5", "\"1709312400000\"", "null", "true", "1e30", "{}")) {
            var d = codec.decode("{\"type\":\"discover\",\"payload\":{},\"timestamp\":" + t + "}",
                    L2psClientFrame.class);
            assertThat(d.timestamp()).as(t).isNull();
        }
    }

    @Test
    void errorFrameWithoutMessageIsTolerated() {
        // l2ps.md §4.4 edge and §12 item 35
        ErrorFrame e = (ErrorFrame) codec.decode("{\"type\":\"error\",\"payload\":{\"code\":\"L2PS_SUBMIT_FAILED\"},\"timestamp\":5}",
                L2psServerFrame.class);
        assertThat(e).isEqualTo(new ErrorFrame("L2PS_SUBMIT_FAILED", null, 5L, null));
        assertThat(codec.encode(e)).isEqualTo("{\"type\":\"error\",\"payload\":{\"code\":\"L2PS_SUBMIT_FAILED\"},"
                + "\"timestamp\":5}");
    }

    @Test
    void legacyTypesMeanDifferentFramesPerDirection() {
        // legacy-and-crypto.md §A.2/§A.3: register, discover and message exist in both directions
        assertThat(codec.decode("{\"type\":\"discover\",\"payload\":{}}", LegacyClientFrame.class))
                .isEqualTo(new Discover());
        assertThat(codec.decode("{\"type\":\"discover\",\"payload\":{\"peers\":[\"alice\",\"bob\"]}}",
                LegacyServerFrame.class)).isEqualTo(new DiscoverResponse(List.of("alice", "bob")));
        assertThat(codec.decode("{\"type\":\"register\",\"payload\":{\"success\":true,\"clientId\":\"alice\"}}",
                LegacyServerFrame.class)).isEqualTo(new RegisterAck(true, "alice"));
        var reg = codec.decode("{\"type\":\"register\",\"payload\":{\"clientId\":\"alice\",\"publicKey\":[176,242,0,255]}}",
                LegacyClientFrame.class);
        assertThat(reg).isEqualTo(new io.github.demosim.frame.legacy.Register("alice",
                Bytes.fromHex("b0f200ff"), null));
        assertThat(codec.encode(reg))
                .isEqualTo("{\"type\":\"register\",\"payload\":{\"clientId\":\"alice\",\"publicKey\":[176,242,0,255]}}");
    }

    @Test
    void legacyRelayedValuesAreKeptVerbatim() {
        String text = "{\"type\":\"message\",\"payload\":{\"targetId\":\"bob\",\"message\":{\"z\":1.0E+2,\"a\":[\"ü\"]}}}";
        SendMessage m = (SendMessage) codec.decode(text, LegacyClientFrame.class);
        assertThat(m.message()).isEqualTo(new JsonValue.JsonObject(
                new LinkedHashMap<>(Map.of("z", new JsonValue.JsonNumber(new BigDecimal("1.0E+2")),
                        "a", new JsonValue.JsonArray(List.of(JsonValue.of("ü")))))));
        assertThat(codec.encode(m)).isEqualTo(text);
        assertThat(codec.decode("{\"type\":\"debug_question\",\"payload\":[1]}", LegacyClientFrame.class))
                .isEqualTo(new DebugQuestion(new JsonValue.JsonArray(List.of(JsonValue.of(1)))));
        IncomingMessage offline = (IncomingMessage) codec.decode("{\"type\":\"message\",\"payload\":{\"message\":{},\"fromId\":\"alice\","
                + "\"timestamp\":1783674941123}}", LegacyServerFrame.class);
        assertThat(offline.timestamp()).isEqualTo(1783674941123L);
    }

    @Test
    void nonAsciiIsRawAndControlCharactersUseJavaScriptEscapes() {
        JsonValue v = JsonValue.of("héllo ✓ 👋 \"q\" \\ \n\t\u0001\u001f\u007f/");
        assertThat(codec.write(v)).isEqualTo("\"héllo ✓ 👋 \\\"q\\\" \\\\ \\n\\t\\u0001\\u001f\u007f/\"");
        assertThat(codec.parse(codec.write(v))).isEqualTo(v);
    }

    @Test
    void numbersKeepTheirLiteralValue() {
        assertThat(codec.parse("[1,1.0,1e2,-0,0.1000,123456789012345678901234567890]")).isEqualTo(
                new JsonValue.JsonArray(List.of(num("1"), num("1.0"), num("1e2"), num("-0"), num("0.1000"),
                        num("123456789012345678901234567890"))));
        assertThat(codec.write(codec.parse("[1.0,1E+2,0.1000]"))).isEqualTo("[1.0,1E+2,0.1000]");
    }

    private static JsonValue num(String literal) {
        return new JsonValue.JsonNumber(new BigDecimal(literal));
    }

    @Test
    void duplicateMembersLastWinsAsInJsonParse() {
        assertThat(codec.parse("{\"a\":1,\"b\":2,\"a\":3}")).isEqualTo(codec.parse("{\"a\":3,\"b\":2}"));
        assertThat(codec.write(codec.parse("{\"a\":1,\"b\":2,\"a\":3}"))).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void malformedJsonReportsTheOffset() {
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> codec.decode("{\"type\":\"discover\",,}", L2psClientFrame.class));
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_MALFORMED_JSON);
        assertThat(e.offset()).isEqualTo(19);
        assertThat(e.path()).isEmpty();
        assertThat(e.getMessage()).startsWith("Not JSON: ").contains("line 1, column 20 (offset 19)")
                .endsWith("[IM-CODEC-001]").doesNotContain("Source:");

        for (String bad : List.of("", "   ", "not json", "{", "{\"a\":1} x", "[1,]", "{'a':1}", "01", "NaN",
                "\"\u0001\"", "{} {}", "1e99999999999")) {
            CodecException b = catchThrowableOfType(CodecException.class, () -> codec.parse(bad));
            assertThat(b).as(bad).isNotNull();
            assertThat(b.code()).as(bad).isEqualTo(ErrorCode.CODEC_MALFORMED_JSON);
            assertThat(b.offset()).as(bad).isBetween(0L, (long) bad.length());
        }
    }

    @Test
    void invalidFramesNameThePathAndTheProblem() {
        assertInvalid("[]", L2psClientFrame.class, null,
                "Invalid L2PS client frame: expected a JSON object {\"type\": …, \"payload\": …}, but got an array");
        assertInvalid("{\"payload\":{}}", L2psClientFrame.class, "type",
                "Invalid L2PS client frame: type is missing; expected a string");
        assertInvalid("{\"type\":1,\"payload\":{}}", L2psClientFrame.class, "type",
                "Invalid L2PS client frame: type must be a string, but is the number 1");
        assertInvalid("{\"type\":\"discover\"}", L2psClientFrame.class, "payload",
                "Invalid L2PS client frame 'discover': payload is missing; expected an object");
        assertInvalid("{\"type\":\"send\",\"payload\":{\"to\":\"b\",\"encrypted\":{\"ciphertext\":\"c\"},\"messageHash\":\"h\"}}",
                L2psClientFrame.class, "payload.encrypted.nonce",
                "Invalid L2PS client frame 'send': payload.encrypted.nonce is missing; expected a string");
        assertInvalid("{\"type\":\"history\",\"payload\":{\"peerKey\":\"b\",\"proof\":\"p\",\"limit\":\"20\"}}",
                L2psClientFrame.class, "payload.limit", "Invalid L2PS client frame 'history': payload.limit must be"
                        + " an integer between -2^31 and 2^31-1, but is the string \"20\"");
        assertInvalid("{\"type\":\"history_response\",\"payload\":{\"messages\":[{\"id\":\"x\"}],\"hasMore\":false}}",
                L2psServerFrame.class, "payload.messages[0].from",
                "Invalid L2PS server frame 'history_response': payload.messages[0].from is missing; expected a string");
        assertInvalid("{\"type\":\"register\",\"payload\":{\"clientId\":\"a\",\"publicKey\":[1,256]}}",
                LegacyClientFrame.class, "payload.publicKey[1]",
                "Invalid legacy client frame 'register': payload.publicKey[1] must be an integer 0..255,"
                        + " but is the number 256");
    }

    private void assertInvalid(String text, Class<? extends io.github.demosim.frame.Frame> family, String path,
            String message) {
        CodecException e = catchThrowableOfType(CodecException.class, () -> codec.decode(text, family));
        assertThat(e).as(text).isNotNull();
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_INVALID_FRAME);
        assertThat(e.path().orElse(null)).isEqualTo(path);
        assertThat(e.offset()).isEqualTo(-1);
        assertThat(e.getMessage()).isEqualTo(message + " [IM-CODEC-002]");
    }

    @Test
    void unknownTypesListTheKnownOnesAndPointToTheOtherDirection() {
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> codec.decode("{\"type\":\"banana\",\"payload\":{}}", L2psClientFrame.class));
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_UNKNOWN_TYPE);
        assertThat(e.path()).contains("type");
        assertThat(e.getMessage()).isEqualTo("Unknown L2PS client frame type 'banana'; expected one of: register,"
                + " send, history, discover, request_public_key, ack, challenge [IM-CODEC-003]");
        CodecException wrongWay = catchThrowableOfType(CodecException.class,
                () -> codec.decode("{\"type\":\"registered\",\"payload\":{}}", L2psClientFrame.class));
        assertThat(wrongWay.getMessage()).contains("('registered' is an L2PS server frame; decode it with"
                + " L2psServerFrame.class)");
    }

    @Test
    void encodingANullRequiredFieldIsACodecException() {
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> codec.encode(new History(null, "p", null, null, null, null)));
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_ENCODE_FAILED);
        assertThat(e.path()).contains("payload.peerKey");
        assertThat(e.getMessage()).isEqualTo("Cannot encode a 'history' frame: payload.peerKey is null but the"
                + " protocol requires it; set it when creating the frame [IM-CODEC-004]");
        assertThatThrownBy(() -> codec.encode(new SendMessage("bob", null))).isInstanceOf(CodecException.class)
                .hasMessageContaining("payload.message is null");
    }

    @Test
    void deepNestingIsACodecExceptionNotAStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        CodecException e = catchThrowableOfType(CodecException.class, () -> codec.parse(deep));
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_MALFORMED_JSON);
        JsonValue nested = JsonValue.of(1);
        for (int i = 0; i < 5_000; i++) {
            nested = new JsonValue.JsonArray(List.of(nested));
        }
        JsonValue tooDeep = nested;
        assertThatThrownBy(() -> codec.write(tooDeep)).isInstanceOf(CodecException.class);
    }

    @Test
    void unknownFamilyIsAnArgumentError() {
        assertThatThrownBy(() -> codec.decode("{}", io.github.demosim.frame.Frame.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2psClientFrame.class");
        assertThatThrownBy(() -> codec.decode("not json", io.github.demosim.frame.l2ps.L2psFrame.class))
                .as("checked before the text").isInstanceOf(IllegalArgumentException.class);
    }
}
