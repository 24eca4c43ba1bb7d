package io.github.demosim.tck.generators;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.frame.Frame;
import io.github.demosim.frame.l2ps.L2psClientFrame;
import io.github.demosim.frame.l2ps.L2psServerFrame;
import io.github.demosim.frame.legacy.LegacyClientFrame;
import io.github.demosim.frame.legacy.LegacyServerFrame;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Example;

/** The generators cover what they promise. */
class FramesTests {

    @Example
    void everyFrameTypeOfBothProtocolsAndDirectionsIsGenerated() {
        Set<Class<?>> all = Stream.of(L2psClientFrame.class, L2psServerFrame.class, LegacyClientFrame.class,
                LegacyServerFrame.class).flatMap(f -> Arrays.stream(f.getPermittedSubclasses()))
                .collect(Collectors.toSet());
        Set<Class<?>> generated = Frames.frames().sampleStream().limit(3000).map(Object::getClass)
                .collect(Collectors.toSet());
        assertThat(all).hasSize(33);
        assertThat(generated).isEqualTo(all);
    }

    @Example
    void familyOfNamesTheSealedInterfaceOfTheDirection() {
        Frames.frames().sampleStream().limit(500).forEach(f -> {
            Class<? extends Frame> family = Frames.familyOf(f);
            assertThat(family.isInstance(f)).isTrue();
            assertThat(Frames.families()).contains(family);
        });
    }

    @Example
    void realisticValuesHaveTheDocumentedShapes() {
        assertThat(Frames.hexKeys().sampleStream().limit(50)).allMatch(k -> k.matches("[0-9a-f]{64}"));
        assertThat(Frames.hexSignatures().sampleStream().limit(50)).allMatch(k -> k.matches("[0-9a-f]{128}"));
        assertThat(Frames.nonces().sampleStream().limit(50)).allMatch(n -> n.length() == 16);
        assertThat(Frames.kemPublicKeys().sampleStream().limit(5)).allMatch(k -> k.length() == 1580);
        assertThat(Frames.ephemeralKeys().sampleStream().limit(5)).allMatch(k -> k.length() == 2176);
        assertThat(Frames.isoTimestamps().sampleStream().limit(50))
                .allMatch(t -> t.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
        assertThat(Frames.requestIds().sampleStream().limit(200))
                .anyMatch(id -> id.matches("req_\\d+_[0-9a-f]{10}"));
    }
}
