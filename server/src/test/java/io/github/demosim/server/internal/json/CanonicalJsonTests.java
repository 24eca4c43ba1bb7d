package io.github.demosim.server.internal.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.JsonValue;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code JSON.stringify} output, which the hashes are computed over. */
class CanonicalJsonTests {
    @Test
    void writesLikeJsonStringify() {
        Map<String, JsonValue> m = new LinkedHashMap<>();
        m.put("b", JsonValue.of("é\u0001\"\\\n\ud800"));
        m.put("a", new JsonValue.JsonArray(List.of(new JsonValue.JsonNumber(new BigDecimal("1.50")),
                new JsonValue.JsonNumber(new BigDecimal("1E+21")), JsonValue.nullValue(), JsonValue.of(true))));
        // Node: JSON.stringify({b:"é\u0001\"\\\n\ud800", a:[1.50, 1e21, null, true]})
        assertThat(CanonicalJson.write(new JsonValue.JsonObject(m)))
                .isEqualTo("{\"b\":\"é\\u0001\\\"\\\\\\n\\ud800\",\"a\":[1.5,1e+21,null,true]}");
    }

    @Test
    void infinityBecomesNull() {
        assertThat(CanonicalJson.write(new JsonValue.JsonNumber(new BigDecimal("1e400")))).isEqualTo("null");
    }
}
