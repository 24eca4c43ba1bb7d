package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroupCommit}'s commit delay (its class Javadoc): a write after a quiet spell is committed at once, writes
 * arriving just after a small commit wait to share one commit, a write just after a large one does not, and close()
 * commits what waits. The delay is 20 s here, so that each outcome is far from the others whatever the machine's
 * load: waiting when it should not would take 20 s, and nothing can complete sooner than its commit.
 */
class GroupCommitDelayTests {
    private static final Duration DELAY = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    static Stream<String> databases() {
        return StoreDatabases.urls(dir, "delay");
    }

    private static JdbcMessageStore fresh(String url) {
        MessageStoreContract.dropTables(url);
        return JdbcMessageStore.open(url, null, null, 3, 1, DELAY);
    }

    private static CompletableFuture<Void> insert(JdbcMessageStore store, String hash) {
        return store.insertGrouped(MessageStoreContract.row("alice", "bob", hash, 1, DeliveryState.QUEUED));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void smallCommitsInARowGatherTheNextWritesAndNothingElseWaits(String url) throws Exception {
        try (JdbcMessageStore store = fresh(url)) {
            insert(store, "first").get(10, TimeUnit.SECONDS); // a quiet lane: at once, not after 20 s
            assertThat(store.groupCommitBatches()).isEqualTo(1);

            // The lane committed just now: the next writes wait for GATHER_ROWS of them.
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            for (int i = 1; i < GroupCommit.GATHER_ROWS; i++) {
                waiting.add(insert(store, "w" + i));
            }
            Thread.sleep(300);
            assertThat(waiting).as("gathering, not committed yet").noneMatch(CompletableFuture::isDone);
            waiting.add(insert(store, "last")); // the 32nd: the commit goes out
            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertThat(store.groupCommitBatches()).as("one commit for the %d writes", GroupCommit.GATHER_ROWS)
                    .isEqualTo(2);
            // After a commit that large the writer is busy, not idle: the next write does not wait.
            insert(store, "after").get(10, TimeUnit.SECONDS);
            assertThat(store.groupCommitBatches()).isEqualTo(3);
            assertThat(store.undelivered("bob", MessageStoreContract.UID)).hasSize(2 + GroupCommit.GATHER_ROWS);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void closeCommitsTheWritesThatWait(String url) throws Exception {
        JdbcMessageStore store = fresh(url);
        insert(store, "first").get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> waiting = insert(store, "second"); // gathering for up to 20 s
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        long start = System.nanoTime();
        store.close();
        long closedIn = System.nanoTime() - start;
        assertThat(waiting).isCompleted(); // committed, not failed
        waiting.get();
        assertThat(Duration.ofNanos(closedIn)).isLessThan(Duration.ofSeconds(10));
        try (JdbcMessageStore reopened = JdbcMessageStore.open(url, null, null, 2)) {
            assertThat(reopened.findByMessageHash("second")).isPresent();
        }
    }
}
