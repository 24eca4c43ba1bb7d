package io.github.demosim.internal.l2ps;

import io.github.demosim.L2psStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.HistoryPage;
import io.github.demosim.ImException;
import io.github.demosim.frame.l2ps.Encrypted;
import io.github.demosim.frame.l2ps.StoredMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Spliterators;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * The walker against a server that pages like the reference ({@code l2ps.md} §7.1): strict {@code before},
 * {@code limit + 1} rows newest first, and no tie-break, so rows of one millisecond come back in a different
 * order on every request.
 */
class HistoryWalkerProperties {

    /** A reference-like history server over a fixed set of rows. */
    static final class Server implements HistoryWalker.PageSource {
        final List<StoredMessage> rows;
        final Random random;
        final int maxLimit;
        int requests;

        Server(List<Long> timestamps, Random random, int maxLimit) {
            this.rows = new ArrayList<>();
            for (int i = 0; i < timestamps.size(); i++) {
                rows.add(new StoredMessage("id-" + i, "a", "b", "h" + i, Encrypted.of("c", "n", null), "net", null,
                        timestamps.get(i), L2psStatus.DELIVERED));
            }
            this.random = random;
            this.maxLimit = maxLimit;
        }

        @Override
        public HistoryPage fetch(Long before, int limit) {
            requests++;
            int effective = Math.min(limit, maxLimit);
            List<StoredMessage> matching = rows.stream().filter(m -> before == null || m.timestamp() < before)
                    .collect(Collectors.toCollection(ArrayList::new));
            Collections.shuffle(matching, random);
            matching.sort(Comparator.comparingLong(StoredMessage::timestamp).reversed()); // stable: ties stay shuffled
            return new HistoryPage(matching.subList(0, Math.min(effective, matching.size())),
                    matching.size() > effective);
        }
    }

    @Property(tries = 1000)
    void everyMessageExactlyOnceNewestFirst(
            @ForAll @Size(max = 300) List<@LongRange(min = 1, max = 25) Long> timestamps,
            @ForAll @IntRange(min = 1, max = 60) int pageSize, @ForAll Random random) {
        Server server = new Server(timestamps, random, Integer.MAX_VALUE);
        List<StoredMessage> walked = StreamSupport.stream(Spliterators.spliteratorUnknownSize(
                new HistoryWalker(server, pageSize), 0), false).collect(Collectors.toList());

        assertThat(walked).extracting(StoredMessage::id)
                .containsExactlyInAnyOrderElementsOf(server.rows.stream().map(StoredMessage::id).toList());
        assertThat(walked).extracting(StoredMessage::timestamp).isSortedAccordingTo(Comparator.reverseOrder());
    }

    @Example
    void naivePagingWouldSkipMessagesThatShareTheBoundaryMillisecond() {
        // five messages in one millisecond, pages of two: before = oldest timestamp skips three of them (B12)
        Server server = new Server(List.of(7L, 7L, 7L, 7L, 7L, 3L), new Random(1), Integer.MAX_VALUE);
        HistoryPage first = server.fetch(null, 2);
        HistoryPage naiveSecond = server.fetch(first.messages().get(1).timestamp(), 2);
        assertThat(naiveSecond.messages()).extracting(StoredMessage::timestamp).containsExactly(3L);

        List<String> walked = new ArrayList<>();
        new HistoryWalker(server, 2).forEachRemaining(m -> walked.add(m.id()));
        assertThat(walked).hasSize(6).doesNotHaveDuplicates();
    }

    @Example
    void aServerThatCapsThePageBelowATieFailsWithAClearError() {
        Server server = new Server(List.of(5L, 5L, 5L, 5L, 2L), new Random(2), 2);
        HistoryWalker walker = new HistoryWalker(server, 2);
        assertThatThrownBy(() -> walker.forEachRemaining(m -> { }))
                .isInstanceOf(ImException.class).hasMessageContaining("share the millisecond 5");
    }
}
