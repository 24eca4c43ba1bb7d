package io.github.demosim.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;

class JsonStringsTests {

    /** Expected values printed by Node 20's JSON.stringify. */
    @Example
    void quotesLikeJsonStringify() {
        assertThat(JsonStrings.quote("plain")).isEqualTo("\"plain\"");
        assertThat(JsonStrings.quote("q\"b\\s/")).isEqualTo("\"q\\\"b\\\\s/\"");
        assertThat(JsonStrings.quote("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(JsonStrings.quote("\u0000\u0001\u001f\u007f\u0080")).isEqualTo("\"\\u0000\\u0001\\u001f\u007f\u0080\"");
        assertThat(JsonStrings.quote("h\u00e9llo \u2713 \ud83d\udc4b")).isEqualTo("\"h\u00e9llo \u2713 \ud83d\udc4b\"");
        assertThat(JsonStrings.quote("lone \ud800 x \udc00 y")).isEqualTo("\"lone \\ud800 x \\udc00 y\"");
        assertThat(JsonStrings.quote("\u2028\u2029")).isEqualTo("\"\u2028\u2029\"");
    }
}
