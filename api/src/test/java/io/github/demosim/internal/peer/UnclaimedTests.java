package io.github.demosim.internal.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ErrorCode;
import io.github.demosim.ErrorEvent;
import org.junit.jupiter.api.Test;

/** Messages waiting for a first listener are bounded by count and by bytes; the oldest go first (issue 14 item 9). */
class UnclaimedTests {

    @Test
    void theOldestAreDroppedWhenTheCountOrTheBytesWouldBeExceeded() {
        Unclaimed<String> waiting = new Unclaimed<>(3, 1000);
        assertThat(waiting.add("a", 100)).isEmpty();
        assertThat(waiting.add("b", 100)).isEmpty();
        assertThat(waiting.add("c", 100)).isEmpty();
        assertThat(waiting.add("d", 100)).as("count").containsExactly("a");
        assertThat(waiting.add("e", 750)).as("bytes").containsExactly("b");
        assertThat(waiting.bytes()).isEqualTo(950);
        assertThat(waiting.add("huge", 5000)).as("alone, whatever its size").containsExactly("c", "d", "e");
        assertThat(waiting.poll()).isEqualTo("huge");
        assertThat(waiting.isEmpty()).isTrue();
        assertThat(waiting.bytes()).isZero();
    }

    @Test
    void handToGivesEveryWaitingMessageOldestFirstAndEmptiesTheQueue() {
        Unclaimed<String> waiting = new Unclaimed<>(3, 1000);
        waiting.add("a", 10);
        waiting.add("b", 20);
        java.util.List<String> handed = new java.util.ArrayList<>();
        waiting.handTo(handed::add);
        assertThat(handed).containsExactly("a", "b");
        assertThat(waiting.isEmpty()).isTrue();
        assertThat(waiting.bytes()).isZero();
    }

    @Test
    void aDroppedMessageIsReportedWithTheLimitsAndTheFix() {
        ErrorEvent e = new Unclaimed<String>(256, 4096).dropped(", 0xabc");
        assertThat(e.error().code()).isEqualTo(ErrorCode.TRANSPORT_INBOUND_OVERFLOW);
        assertThat(e.error().getMessage()).isEqualTo("No message listener was registered and 256 messages or 4096"
                + " bytes (inboundBufferBytes) were waiting; dropped the oldest, 0xabc. Register onMessage before"
                + " connect() [IM-TRANSPORT-003]");
    }
}
