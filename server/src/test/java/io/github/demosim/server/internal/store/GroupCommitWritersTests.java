package io.github.demosim.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GroupCommit} with several writers, on H2 in memory, H2 in a file and PostgreSQL (when
 * {@code DEMOS_IM_TEST_POSTGRES_URL} names one): one sender's writes stay in order on one writer, a duplicate hash
 * written by two writers at once fails only its caller, and close() completes every caller and ends the threads.
 */
class GroupCommitWritersTests {
    private static final int WRITERS = 4;
    private static final String UID = MessageStoreContract.UID;

    @TempDir
    static Path dir;

    static Stream<String> databases() {
        return StoreDatabases.urls(dir, "writers");
    }

    /** A 64-character key whose writes go to the given lane of {@code lanes}. */
    static String keyInLane(int lane, int lanes, String seed) {
        for (int i = 0; ; i++) {
            String key = String.format("%s%063x", seed, i).substring(0, 64);
            if (GroupCommit.laneOf(key, lanes) == lane) {
                return key;
            }
        }
    }

    /** Opens the schema of an empty database (the writers below share its pool) and returns the store. */
    private static JdbcMessageStore fresh(String url) {
        MessageStoreContract.dropTables(url);
        return JdbcMessageStore.open(url, null, null, WRITERS + 2, WRITERS);
    }

    private static L2psMessageRow row(String from, String to, String hash, long ts) {
        return MessageStoreContract.row(from, to, hash, ts, DeliveryState.QUEUED);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void eachSendersWritesCompleteInTheOrderSubmittedOnOneWriter(String url) throws Exception {
        int perSender = 150;
        List<String> senders = new ArrayList<>();
        for (int lane = 0; lane < WRITERS; lane++) { // two senders on every writer
            senders.add(keyInLane(lane, WRITERS, "s" + lane + "a"));
            senders.add(keyInLane(lane, WRITERS, "s" + lane + "b"));
        }
        String to = keyInLane(0, WRITERS, "r");
        List<List<Integer>> completed = new ArrayList<>();
        List<Set<String>> threads = new ArrayList<>();
        List<CompletableFuture<Void>> all = Collections.synchronizedList(new ArrayList<>());
        try (JdbcMessageStore store = fresh(url)) {
            ExecutorService submitters = Executors.newFixedThreadPool(senders.size());
            try {
                List<Future<?>> submitted = new ArrayList<>();
                for (int s = 0; s < senders.size(); s++) {
                    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
                    Set<String> on = Collections.synchronizedSet(new HashSet<>());
                    completed.add(order);
                    threads.add(on);
                    String from = senders.get(s);
                    int sender = s;
                    submitted.add(submitters.submit(() -> {
                        for (int i = 0; i < perSender; i++) { // no waiting: many of one sender in flight at once
                            int seq = i;
                            all.add(store.insertGrouped(row(from, to, "o" + sender + "-" + i, i)).whenComplete(
                                    (ok, failure) -> {
                                        order.add(failure == null ? seq : -1 - seq);
                                        String thread = Thread.currentThread().getName();
                                        if (thread.startsWith("demos-im-store-writer")) { // else done already
                                            on.add(thread);
                                        }
                                    }));
                        }
                        return null;
                    }));
                }
                for (Future<?> f : submitted) {
                    f.get(60, TimeUnit.SECONDS); // hang guard
                }
                CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            } finally {
                submitters.shutdownNow();
            }
            Set<String> writers = new HashSet<>();
            for (int s = 0; s < senders.size(); s++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < perSender; i++) {
                    expected.add(i);
                }
                assertThat(completed.get(s)).as("sender %d's completions", s).isEqualTo(expected);
                assertThat(threads.get(s)).as("sender %d's writer", s).hasSizeLessThanOrEqualTo(1);
                writers.addAll(threads.get(s));
            }
            assertThat(writers).as("every writer thread took part").hasSize(WRITERS);
            assertThat(store.undelivered(to, UID)).hasSize(senders.size() * perSender);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDuplicateWrittenByTwoWritersAtOnceFailsOnlyItsCaller(String url) throws Exception {
        String first = keyInLane(0, WRITERS, "d0");
        String second = keyInLane(1, WRITERS, "d1");
        try (JdbcMessageStore store = fresh(url)) {
            store.insert(row(first, second, "old", 0));
            int rounds = 40;
            List<CompletableFuture<Void>> mine = new ArrayList<>();
            List<CompletableFuture<Void>> dupsOfFirst = new ArrayList<>();
            List<CompletableFuture<Void>> dupsOfSecond = new ArrayList<>();
            List<CompletableFuture<Void>> old = new ArrayList<>();
            // Each writer's batches hold its own rows and the shared hashes. On PostgreSQL the second writes them the
            // other way round: two transactions may each hold a hash the other is inserting (a deadlock, which
            // PostgreSQL breaks by failing one; GroupCommit retries it). H2 finds a deadlock only when both time
            // out, and the server cannot cause one there (one process per H2 database, one writer, and a hash being
            // written is reserved, InFlightHashes): on H2 both write the shared hashes in one order.
            boolean opposite = url.startsWith("jdbc:postgresql:");
            List<CompletableFuture<Void>> seconds = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                mine.add(store.insertGrouped(row(first, second, "f" + i, i)));
                dupsOfFirst.add(store.insertGrouped(row(first, second, "dup" + i, i)));
                mine.add(store.insertGrouped(row(second, first, "s" + i, i)));
                seconds.add(store.insertGrouped(row(second, first, "dup" + (opposite ? rounds - 1 - i : i), i)));
                old.add(store.insertGrouped(row(second, first, "old", i)));
            }
            for (int i = 0; i < rounds; i++) {
                dupsOfSecond.add(seconds.get(opposite ? rounds - 1 - i : i)); // in the order of the hashes
            }
            List<CompletableFuture<?>> every = new ArrayList<>();
            Stream.of(mine, dupsOfFirst, dupsOfSecond, old).forEach(every::addAll);
            CompletableFuture.allOf(every.stream().map(w -> w.handle((ok, failure) -> null))
                    .toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS); // hang guard
            assertThat(mine).allSatisfy(w -> assertThat(w).isCompletedWithValue(null));
            assertThat(old).allSatisfy(w -> assertThat(failure(w)).isInstanceOf(DuplicateKeyException.class));
            for (int i = 0; i < rounds; i++) {
                Throwable a = failure(dupsOfFirst.get(i));
                Throwable b = failure(dupsOfSecond.get(i));
                assertThat(a == null ^ b == null).as("dup%d: exactly one of the two is stored (%s, %s)", i, a, b)
                        .isTrue();
                assertThat(a == null ? b : a).isInstanceOf(DuplicateKeyException.class);
                assertThat(store.findByMessageHash("dup" + i)).get().extracting(L2psMessageRow::from)
                        .isEqualTo(a == null ? first : second);
            }
            assertThat(store.history(UID, first, second, null, 1_000)).hasSize(1 + 3 * rounds);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void closeWithWritesInFlightCompletesEveryCallerAndEndsEveryWriter(String url) throws Exception {
        fresh(url).close(); // the schema
        int submitters = 6;
        int perSubmitter = 400;
        List<CompletableFuture<Void>> writes = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger done = new AtomicInteger();
        JdbcPool pool = new JdbcPool(url, null, null, WRITERS + 1);
        GroupCommit writer = new GroupCommit(pool, WRITERS, java.time.Duration.ZERO);
        List<Thread> threads = writer.threads();
        assertThat(threads).hasSize(WRITERS).allSatisfy(t -> assertThat(t.isAlive()).isTrue());
        ExecutorService callers = Executors.newFixedThreadPool(submitters);
        try {
            List<Future<?>> submitting = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                String from = keyInLane(s % WRITERS, WRITERS, "c" + s);
                int submitter = s;
                submitting.add(callers.submit(() -> {
                    for (int i = 0; i < perSubmitter; i++) {
                        writes.add(writer.insert(row(from, "r".repeat(64), "c" + submitter + "-" + i, i))
                                .whenComplete((ok, failure) -> done.incrementAndGet()));
                    }
                    return null;
                }));
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (done.get() < 50 && System.nanoTime() < until) { // some committed, many still queued
                Thread.sleep(1);
            }
            writer.close(); // while the submitters still submit
            for (Future<?> f : submitting) {
                f.get(60, TimeUnit.SECONDS); // a submit after close fails at once, never waits
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(threads).allSatisfy(t -> assertThat(t.isAlive()).as(t.getName()).isFalse());
        List<CompletableFuture<Void>> all;
        synchronized (writes) {
            all = new ArrayList<>(writes);
        }
        assertThat(all).hasSize(submitters * perSubmitter)
                .allSatisfy(w -> assertThat(w).isDone()); // every caller answered by the time close() returned
        int committed = 0;
        try (JdbcMessageStore store = JdbcMessageStore.open(url, null, null, 2, 0)) {
            for (CompletableFuture<Void> w : all) {
                Throwable f = failure(w);
                if (f == null) {
                    committed++;
                } else {
                    assertThat(f).isInstanceOf(StoreException.class).hasMessageContaining("closed");
                }
            }
            assertThat(committed).isGreaterThanOrEqualTo(50);
            assertThat(store.undelivered("r".repeat(64), UID)).as("what was answered as written is stored")
                    .hasSize(committed);
        } finally {
            pool.close();
        }
    }

    private static Throwable failure(CompletableFuture<?> w) {
        try {
            w.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }
}
