package io.github.demosim.internal.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class MasterSeedsTests {

    /** Expected values from Node 20's String.prototype.trim. */
    @Example
    void trimsLikeJavaScript() {
        String jsWhitespace = " \u00a0\u1680\u2000\u200a\u202f\u205f\u3000\ufeff\u2028\u2029\t\n\u000b\f\r";
        assertThat(MasterSeeds.jsTrim(jsWhitespace + "x \u0085\u180e\u200b" + jsWhitespace))
                .isEqualTo("x \u0085\u180e\u200b");
        assertThat(MasterSeeds.jsTrim(jsWhitespace)).isEmpty();
        assertThat(MasterSeeds.jsTrim("\u001fa\u001c")).as("String.strip() would remove these").isEqualTo("\u001fa\u001c");
    }

    @Property
    void trimIsIdempotentAndKeepsTheMiddle(@ForAll String s) {
        String trimmed = MasterSeeds.jsTrim(s);
        assertThat(MasterSeeds.jsTrim(trimmed)).isEqualTo(trimmed);
        assertThat(s).contains(trimmed);
    }
}
