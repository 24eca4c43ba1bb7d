package io.github.demosim.server.internal.l2ps;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Hardened mode's message ids (issue 16): RFC 9562 UUID v7 text, carrying the time they were made, ordered by it
 * as strings (the database's id index sorts them as text), and unique.
 */
class MessageIdsProperties {

    @Property
    void aTimeOrderedIdIsAVersion7UuidOfItsTime(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFFL) long millis) {
        String id = MessageIds.timeOrdered(millis);
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.toString()).isEqualTo(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2); // RFC 9562 / RFC 4122 layout
        assertThat(uuid.getMostSignificantBits() >>> 16).isEqualTo(millis);
    }

    @Property
    void idsOfLaterMillisecondsSortAfter(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFEL) long millis,
            @ForAll @LongRange(min = 1, max = 1_000_000) long later) {
        long second = Math.min(0xFFFF_FFFF_FFFFL, millis + later);
        assertThat(MessageIds.timeOrdered(millis)).isLessThan(MessageIds.timeOrdered(second));
    }

    @Property(tries = 10)
    void idsOfOneMillisecondAreUnique(@ForAll @LongRange(min = 0, max = 0xFFFF_FFFF_FFFFL) long millis) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(MessageIds.timeOrdered(millis));
        }
        assertThat(ids).hasSize(10_000);
    }

    @Property(tries = 20)
    void theReferenceIdIsAVersion4Uuid() {
        assertThat(UUID.fromString(MessageIds.random()).version()).isEqualTo(4);
    }
}
