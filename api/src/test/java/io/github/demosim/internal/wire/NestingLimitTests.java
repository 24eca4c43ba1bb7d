package io.github.demosim.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.demosim.CodecException;
import io.github.demosim.ErrorCode;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.SendMessage;
import java.util.List;
import net.jqwik.api.Example;

/**
 * JSON nests at most 1,000 levels, counted from the frame's own envelope, whatever the codec's limits: no input
 * or tree can exhaust the stack, and every codec refuses at the same depth.
 */
class NestingLimitTests {

    private static JsonValue nested(int levels) {
        JsonValue v = JsonValue.of(1);
        for (int i = 0; i < levels; i++) {
            v = new JsonValue.JsonArray(List.of(v));
        }
        return v;
    }

    @Example
    void aRelayedValueMayFillTheLevelsTheFrameLeaves() {
        // legacy-and-crypto.md §A.2: {"type":"message","payload":{"targetId":…,"message":<relayed>}}
        StringBuilder out = new StringBuilder();
        FrameEncoder.write(new SendMessage("bob", nested(998)), new Stringify(out));
        assertThat(out).startsWith("{\"type\":\"message\",\"payload\":{\"targetId\":\"bob\",\"message\":[[[");

        CodecException e = catchThrowableOfType(CodecException.class,
                () -> FrameEncoder.write(new SendMessage("bob", nested(999)), new Stringify(new StringBuilder())));
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_ENCODE_FAILED);
        assertThat(e.getMessage()).contains("deeper than 1000 levels");
    }

    @Example
    void aTreeNestedTooDeeplyIsNotAFrame() {
        JsonValue.JsonObject frame = new JsonValue.JsonObject(java.util.Map.of("type", JsonValue.of("message"),
                "payload", new JsonValue.JsonObject(java.util.Map.of("targetId", JsonValue.of("bob"),
                        "message", nested(1_000)))));
        CodecException e = catchThrowableOfType(CodecException.class,
                () -> FrameDecoder.fromJson(frame, LegacyClientFrame.class));
        assertThat(e.code()).isEqualTo(ErrorCode.CODEC_INVALID_FRAME);
        SendMessage decoded = (SendMessage) FrameDecoder.fromJson(new JsonValue.JsonObject(java.util.Map.of("type",
                JsonValue.of("message"), "payload", new JsonValue.JsonObject(java.util.Map.of("targetId",
                        JsonValue.of("bob"), "message", nested(998))))), LegacyClientFrame.class);
        assertThat(levels(decoded.message())).isEqualTo(998); // walked, not compared: equals() recurses
    }

    private static int levels(JsonValue value) {
        int n = 0;
        for (JsonValue v = value; v instanceof JsonValue.JsonArray a; v = a.elements().get(0)) {
            n++;
        }
        return n;
    }
}
