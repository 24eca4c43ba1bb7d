package io.github.demosim.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.Send;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Example;

class StringifyTests {

    /** Expected values printed by Node 20's JSON.stringify. */
    @Example
    void quotesLikeJsonStringify() {
        assertThat(Stringify.quote("plain")).isEqualTo("\"plain\"");
        assertThat(Stringify.quote("q\"b\\s/")).isEqualTo("\"q\\\"b\\\\s/\"");
        assertThat(Stringify.quote("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(Stringify.quote("\u0000\u0001\u001f\u007f\u0080")).isEqualTo("\"\\u0000\\u0001\\u001f\u007f\u0080\"");
        assertThat(Stringify.quote("h\u00e9llo \u2713 \ud83d\udc4b")).isEqualTo("\"h\u00e9llo \u2713 \ud83d\udc4b\"");
        assertThat(Stringify.quote("lone \ud800 x \udc00 y")).isEqualTo("\"lone \\ud800 x \\udc00 y\"");
        assertThat(Stringify.quote("\udc00\ud800")).isEqualTo("\"\\udc00\\ud800\"");
        assertThat(Stringify.quote("\u2028\u2029")).isEqualTo("\"\u2028\u2029\"");
        assertThat(Stringify.quote(null)).isEqualTo("null");
    }

    /** JSON.stringify(JSON.parse(text)) in Node 20: numbers as JavaScript prints them, members in order. */
    @Example
    void writesTreesLikeJsonStringify() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("z", new JsonValue.JsonNumber(new BigDecimal("1.50")));
        m.put("a", new JsonValue.JsonArray(List.of(JsonValue.of(true), JsonValue.nullValue(),
                new JsonValue.JsonNumber(new BigDecimal("1E+21")), new JsonValue.JsonNumber(new BigDecimal("-0")),
                new JsonValue.JsonObject(Map.of()), new JsonValue.JsonArray(List.of()))));
        m.put("big", new JsonValue.JsonNumber(new BigDecimal("1e400")));
        m.put("k\u00e9y\n", JsonValue.of("v"));
        assertThat(Stringify.write(new JsonValue.JsonObject(m)))
                .isEqualTo("{\"z\":1.5,\"a\":[true,null,1e+21,0,{},[]],\"big\":null,\"k\u00e9y\\n\":\"v\"}");
    }

    @Example
    void longsBeyondTwoToTheFiftyThreeAreWrittenAsJavaScriptNumbers() {
        StringBuilder out = new StringBuilder();
        Stringify sink = new Stringify(out);
        sink.beginArray();
        sink.number(9007199254740992L);
        sink.number(9007199254740993L); // JavaScript has no such number: the nearest double prints
        sink.number(-1709312400000L);
        sink.endArray();
        assertThat(out).hasToString("[9007199254740992,9007199254740992,-1709312400000]");
    }

    /** The reference server's bytes for a frame come from the same mapping as the codecs' (l2ps.md §2, §5.4). */
    @Example
    void framesWrittenIntoItAreTheReferenceText() {
        Map<String, JsonValue> extra = new LinkedHashMap<>();
        extra.put("v", new JsonValue.JsonNumber(new BigDecimal("2.0")));
        StringBuilder out = new StringBuilder();
        FrameEncoder.write(new Send("b0b", new Encrypted("c", "n", null, extra), "h\u2028", 1709312400000L, null),
                new Stringify(out));
        assertThat(out).hasToString("{\"type\":\"send\",\"payload\":{\"to\":\"b0b\",\"encrypted\":{\"ciphertext\":\"c\","
                + "\"nonce\":\"n\",\"v\":2},\"messageHash\":\"h\u2028\"},\"timestamp\":1709312400000}");
    }
}
