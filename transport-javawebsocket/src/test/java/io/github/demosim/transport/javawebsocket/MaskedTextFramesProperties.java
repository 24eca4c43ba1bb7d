package io.github.demosim.transport.javawebsocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The frames this transport builds itself are RFC 6455 §5.2 client text frames that unmask to the text's UTF-8. */
class MaskedTextFramesProperties {
    private final MaskedTextFrames frames = new MaskedTextFrames();

    @Provide
    Arbitrary<String> texts() {
        // around the 7-bit, 16-bit and 64-bit length forms, in every UTF-8 width
        Arbitrary<Integer> lengths = Arbitraries.oneOf(Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(65_500, 66_000), Arbitraries.integers().between(0, 70_000));
        return lengths.flatMap(n -> Arbitraries.oneOf(Arbitraries.chars().range(' ', '~'),
                        Arbitraries.chars().range('\u00a0', '\u07ff'), Arbitraries.chars().range('\u4e00', '\u9fff'))
                .list().ofSize(n).map(cs -> {
                    StringBuilder b = new StringBuilder();
                    cs.forEach(b::append);
                    return b.append(n % 7 == 0 ? Character.toString(0x1f600) : "").toString();
                }));
    }

    @Property(tries = 200)
    void aFrameUnmasksToTheUtf8OfItsText(@ForAll("texts") String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] frame = frames.frame(text);
        assertThat(frame[0] & 0xFF).as("FIN, text").isEqualTo(0x81);
        assertThat(frame[1] & 0x80).as("mask bit").isEqualTo(0x80);
        int seven = frame[1] & 0x7F;
        long length;
        int at;
        if (seven < 126) {
            length = seven;
            at = 2;
        } else if (seven == 126) {
            length = (frame[2] & 0xFF) << 8 | frame[3] & 0xFF;
            at = 4;
            assertThat(length).isGreaterThanOrEqualTo(126);
        } else {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = length << 8 | frame[2 + i] & 0xFF;
            }
            at = 10;
            assertThat(length).isGreaterThan(0xFFFF);
        }
        assertThat(length).isEqualTo(payload.length);
        assertThat(frame).hasSize(at + 4 + payload.length);
        byte[] unmasked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            unmasked[i] = (byte) (frame[at + 4 + i] ^ frame[at + (i & 3)]);
        }
        assertThat(unmasked).isEqualTo(payload);
    }
}
