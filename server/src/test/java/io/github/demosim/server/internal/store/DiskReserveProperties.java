package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * {@link DiskReserve}: its answer is the last reading of the free space against the reserve, a reading is taken
 * once it is {@link DiskReserve#REREAD_NANOS} old and never sooner, and a disk whose space cannot be read (-1)
 * refuses nothing. Driven by a clock and a disk of the test's own: no sleeping.
 */
class DiskReserveProperties {

    /** One call: the time that passed before it and the disk's free space at that moment. */
    record Call(long advanceNanos, long freeBytes) {
    }

    @Provide
    Arbitrary<List<Call>> calls() {
        Arbitrary<Long> advance = Arbitraries.oneOf(Arbitraries.longs().between(0, DiskReserve.REREAD_NANOS / 3),
                Arbitraries.longs().between(0, 3 * DiskReserve.REREAD_NANOS));
        Arbitrary<Long> free = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 2_000));
        return Combinators.combine(advance, free).as(Call::new).list().ofMinSize(1).ofMaxSize(100);
    }

    @Property(tries = 1_000)
    void answersTheLastReadingTakenAtMostOncePerInterval(@ForAll("calls") List<Call> calls,
            @ForAll @LongRange(min = 0, max = 2_000) long reserve) {
        AtomicLong now = new AtomicLong(123_456_789L);
        AtomicLong free = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        DiskReserve r = new DiskReserve(reserve, () -> {
            reads.incrementAndGet();
            return free.get();
        }, now::get);
        Long lastReadAt = null;
        boolean expected = false;
        for (Call call : calls) {
            now.addAndGet(call.advanceNanos());
            free.set(call.freeBytes());
            int readsBefore = reads.get();
            boolean due = reserve > 0 && (lastReadAt == null || now.get() - lastReadAt >= DiskReserve.REREAD_NANOS);
            if (due) {
                lastReadAt = now.get();
                expected = call.freeBytes() >= 0 && call.freeBytes() < reserve;
            }
            assertThat(r.reached()).isEqualTo(expected);
            assertThat(reads.get() - readsBefore).as("read when due, and only then").isEqualTo(due ? 1 : 0);
        }
    }

    @Example
    void readsTheDiskOfAnH2FileNamedWithItsFileSystemPrefix() throws Exception {
        Path dir = Files.createTempDirectory("disk-reserve");
        try {
            Path file = Files.createFile(dir.resolve("x.mv.db"));
            for (String name : List.of(file.toString(), "nio:" + file, "async:" + file, "split:30:" + file)) {
                assertThat(DiskReserve.usableSpaceOf(name).getAsLong()).as(name).isPositive();
            }
            assertThat(DiskReserve.usableSpaceOf(dir.resolve("gone/x.mv.db").toString()).getAsLong())
                    .as("no such file: the reserve does not apply").isEqualTo(-1);
        } finally {
            Files.deleteIfExists(dir.resolve("x.mv.db"));
            Files.delete(dir);
        }
    }
}
