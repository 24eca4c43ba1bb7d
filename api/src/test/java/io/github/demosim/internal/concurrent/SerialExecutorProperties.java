package io.github.demosim.internal.concurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link SerialExecutor} under any interleaving of submissions, drains, holds and refusals: tasks run in
 * submission order, one at a time, and a refusal drops exactly the tasks waiting at that moment, never a later
 * one.
 */
class SerialExecutorProperties {

    /** A delegate the property steps by hand: it queues drains, and refuses when the script says so. */
    private static final class SteppedDelegate implements Executor {
        final ArrayDeque<Runnable> pending = new ArrayDeque<>();
        final Iterator<Boolean> refusals;
        final Set<Integer> waiting;
        boolean running;

        SteppedDelegate(List<Boolean> refusals, Set<Integer> waiting) {
            this.refusals = refusals.iterator();
            this.waiting = waiting;
        }

        @Override
        public void execute(Runnable drain) {
            assertThat(pending).as("a second drain while one is pending").isEmpty();
            assertThat(running).as("a second drain while one runs").isFalse();
            if (refusals.hasNext() && refusals.next()) {
                waiting.clear(); // what the executor drops: everything waiting now
                throw new RejectedExecutionException("refused by the script");
            }
            pending.add(drain);
        }

        boolean runOne() {
            Runnable drain = pending.poll();
            if (drain == null) {
                return false;
            }
            running = true;
            try {
                drain.run();
            } finally {
                running = false;
            }
            return true;
        }
    }

    /**
     * @param script 0: submit a task; 1: submit a task that takes a hold; 2: let the delegate run a drain;
     *     3: release the oldest open hold
     * @param refusals whether each successive call of the delegate is refused (then accepted once used up)
     */
    @Property
    void inOrderOneAtATimeAndARefusalDropsOnlyWhatWaits(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> script,
            @ForAll @Size(max = 20) List<Boolean> refusals) {
        Set<Integer> waiting = new LinkedHashSet<>();
        SteppedDelegate delegate = new SteppedDelegate(refusals, waiting);
        SerialExecutor serial = new SerialExecutor(delegate, "test task threw");
        List<Integer> ran = new ArrayList<>();
        ArrayDeque<SerialExecutor.Hold> open = new ArrayDeque<>();
        AtomicInteger active = new AtomicInteger();
        int next = 0;

        for (int step : script) {
            switch (step) {
                case 0, 1 -> {
                    int id = next++;
                    boolean holds = step == 1;
                    waiting.add(id);
                    try {
                        serial.execute(() -> {
                            assertThat(active.incrementAndGet()).as("tasks overlap").isEqualTo(1);
                            waiting.remove(id);
                            ran.add(id);
                            if (holds) {
                                open.add(serial.hold());
                            }
                            active.decrementAndGet();
                        });
                    } catch (RejectedExecutionException e) {
                        assertThat(waiting).as("a refused submission is dropped").doesNotContain(id);
                    }
                }
                case 2 -> delegate.runOne();
                default -> {
                    if (!open.isEmpty()) {
                        open.poll().release();
                    }
                }
            }
        }
        // Let everything finish: every task that was not dropped by a refusal must run.
        while (delegate.runOne() || !open.isEmpty()) {
            if (!open.isEmpty()) {
                open.poll().release();
            }
        }

        assertThat(waiting).as("tasks lost although no refusal dropped them").isEmpty();
        assertThat(ran).as("submission order").isSorted().doesNotHaveDuplicates();
    }

    /** On a real pool, from several submitting threads: one task at a time, each thread's tasks in its order. */
    @Property(tries = 30)
    void onRealThreadsOneAtATimeAndInEachSubmittersOrder(@ForAll @IntRange(min = 1, max = 4) int submitters,
            @ForAll @IntRange(min = 1, max = 200) int perSubmitter) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            SerialExecutor serial = new SerialExecutor(pool, "test task threw");
            AtomicInteger active = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<List<Integer>> seen = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(submitters * perSubmitter);
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < submitters; s++) {
                List<Integer> mine = new ArrayList<>(); // written by the serial tasks only, one at a time
                seen.add(mine);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < perSubmitter; i++) {
                        int n = i;
                        serial.execute(() -> {
                            if (active.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            mine.add(n);
                            active.decrementAndGet();
                            done.countDown();
                        });
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).as("every task ran").isTrue();
            assertThat(overlaps).hasValue(0);
            for (List<Integer> mine : seen) { // visible here: the latch's countDown/await orders the writes
                assertThat(mine).hasSize(perSubmitter).isSorted();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
