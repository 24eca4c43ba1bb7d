package io.github.demosim.server.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The reference's lenient hex decoding (l2ps.md §5.2). */
class JsHexTests {
    @Test
    void oddLengthDropsTheLastNibble() {
        assertThat(JsHex.decodeLenient("abc")).containsExactly(0xab);
    }

    @Test
    void pairsParseLikeParseInt() {
        // "1z" -> 1, "zz" -> NaN -> 0, "-1" -> -1 -> 255 in a Uint8Array, " f" -> 15
        assertThat(JsHex.decodeLenient("1zzz-1 f")).containsExactly(1, 0, 0xff, 0x0f);
    }

    @Test
    void strictRejectsNonHexAndOddLengths() {
        assertThat(JsHex.decodeStrict("0g")).isNull();
        assertThat(JsHex.decodeStrict("abc")).isNull();
        assertThat(JsHex.decodeStrict("\uff10\uff10")).isNull(); // fullwidth digits are not hex
        assertThat(JsHex.decodeStrict("00fF")).containsExactly(0, 0xff);
    }

    @Test
    void encodesLowercase() {
        assertThat(JsHex.encode(HexFormat.of().parseHex("00ABff"))).isEqualTo("00abff");
    }
}
