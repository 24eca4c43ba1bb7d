package io.github.demosim.internal.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.demosim.Bytes;
import io.github.demosim.KeyRole;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The bounded in-memory TrustStore (docs/envelopes.md §6): pins, and a replay memory that never lets a replay by. */
class InMemoryTrustStoreTests {
    private static final Bytes K1 = Bytes.of(new byte[] {1});
    private static final Bytes K2 = Bytes.of(new byte[] {2});
    private static final Instant EPOCH = Instant.EPOCH;

    @Test
    void pinsAreFirstUseUntilReplacedOrForgotten() {
        InMemoryTrustStore s = new InMemoryTrustStore(10, 10);
        assertThat(s.pinnedKey("alice", KeyRole.SIGNING)).isEmpty();
        assertThat(s.pinIfAbsent("alice", KeyRole.SIGNING, K1)).isEqualTo(K1);
        assertThat(s.pinIfAbsent("alice", KeyRole.SIGNING, K2)).as("first use wins").isEqualTo(K1);
        assertThat(s.pinnedKey("alice", KeyRole.ENCRYPTION)).as("roles are apart").isEmpty();
        s.pin("alice", KeyRole.SIGNING, K2);
        assertThat(s.pinnedKey("alice", KeyRole.SIGNING)).contains(K2);
        s.forget("alice", KeyRole.SIGNING);
        assertThat(s.pinnedKey("alice", KeyRole.SIGNING)).isEmpty();
    }

    @Test
    void aFullStoreKeepsItsPinsRatherThanForgettingThem() {
        InMemoryTrustStore s = new InMemoryTrustStore(2, 10);
        s.pinIfAbsent("a", KeyRole.SIGNING, K1);
        s.pinIfAbsent("b", KeyRole.SIGNING, K1);
        assertThat(s.pinIfAbsent("c", KeyRole.SIGNING, K2)).isEqualTo(K2);
        assertThat(s.pinnedKey("c", KeyRole.SIGNING)).as("not remembered").isEmpty();
        assertThat(s.pinnedKey("a", KeyRole.SIGNING)).contains(K1);
        s.pin("a", KeyRole.SIGNING, K2); // replacing is always possible
        assertThatThrownBy(() -> s.pin("c", KeyRole.SIGNING, K2)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEnvelopeIsRecordedOnce() {
        InMemoryTrustStore s = new InMemoryTrustStore(10, 10);
        assertThat(s.recordEnvelope("alice", "id-1", at(100), EPOCH)).isTrue();
        assertThat(s.recordEnvelope("alice", "id-1", at(100), EPOCH)).isFalse();
        assertThat(s.recordEnvelope("bob", "id-1", at(100), EPOCH)).as("ids are per sender").isTrue();
    }

    @Test
    void aFullReplayMemoryRefusesWhatItCanNoLongerTell() {
        InMemoryTrustStore s = new InMemoryTrustStore(10, 3);
        for (int i = 1; i <= 3; i++) {
            assertThat(s.recordEnvelope("alice", "id-" + i, at(i * 10), EPOCH)).isTrue();
        }
        assertThat(s.recordEnvelope("alice", "id-4", at(40), EPOCH)).isTrue(); // forgets id-1 (t=10)
        assertThat(s.recordEnvelope("alice", "id-1", at(10), EPOCH)).as("forgotten, but refused").isFalse();
        assertThat(s.recordEnvelope("alice", "id-0", at(5), EPOCH)).as("older than the floor").isFalse();
        assertThat(s.recordEnvelope("alice", "id-5", at(50), EPOCH)).isTrue();
    }

    @Test
    void envelopesOlderThanTheWindowAreForgotten() {
        InMemoryTrustStore s = new InMemoryTrustStore(10, 2);
        s.recordEnvelope("alice", "id-1", at(10), EPOCH);
        s.recordEnvelope("alice", "id-2", at(20), EPOCH);
        // the window moved past both: room again, and no floor raised
        assertThat(s.recordEnvelope("alice", "id-3", at(30), at(25))).isTrue();
        assertThat(s.recordEnvelope("alice", "id-4", at(31), at(25))).isTrue();
    }

    private static Instant at(long ms) {
        return Instant.ofEpochMilli(ms);
    }
}
