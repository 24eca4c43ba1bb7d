package io.github.demosim.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * JavaScript Number::toString, which the reference uses to put frame timestamps into proof strings
 * (l2ps.md §5.2). Vectors in {@code js-number-tostring.tsv} were printed by Node.js ({@code String(JSON.parse(x))})
 * with {@code js-number-tostring.gen.js}.
 */
class JsNumberTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1709312400000|1709312400000",
        "1709312400000.0|1709312400000",
        "1.7093124E12|1709312400000",
        "1.5|1.5",
        "0.1|0.1",
        "1e21|1e+21",
        "999999999999999999999|1e+21",
        "100000000000000000000|100000000000000000000",
        "1e-6|0.000001",
        "1e-7|1e-7",
        "123e-20|1.23e-18",
        "5e-324|5e-324",
        "1e400|Infinity",
        "-1e400|-Infinity",
        "-0|0",
        "9007199254740993|9007199254740992",
        "1.7976931348623157e308|1.7976931348623157e+308",
    })
    void examplesFromTheSpecification(String json, String expected) {
        assertThat(JsNumber.toString(new BigDecimal(json))).isEqualTo(expected);
    }

    @Test
    void nanAndNegative() {
        assertThat(JsNumber.toString(Double.NaN)).isEqualTo("NaN");
        assertThat(JsNumber.toString(-2.5e-7)).isEqualTo("-2.5e-7");
    }

    @Test
    void matchesNodeOnThousandsOfValues() throws Exception {
        List<String[]> vectors = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                getClass().getResourceAsStream("/js-number-tostring.tsv")), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    vectors.add(line.split("\t"));
                }
            }
        }
        assertThat(vectors).hasSizeGreaterThan(3000);
        List<String> mismatches = new ArrayList<>();
        for (String[] v : vectors) {
            String actual = JsNumber.toString(new BigDecimal(v[0]));
            if (!actual.equals(v[1])) {
                mismatches.add(v[0] + " -> " + actual + " (node: " + v[1] + ")");
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
