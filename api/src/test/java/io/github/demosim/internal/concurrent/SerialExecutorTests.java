package io.github.demosim.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SerialExecutorTests {

    /** Runs tasks on the calling thread, refusing the first {@code refusals} of them. */
    private static Executor refusing(int refusals) {
        AtomicInteger left = new AtomicInteger(refusals);
        return task -> {
            if (left.getAndDecrement() > 0) {
                throw new RejectedExecutionException("busy");
            }
            task.run();
        };
    }

    private static SerialExecutor serial(Executor delegate) {
        return new SerialExecutor(delegate, "test task threw");
    }

    @Test
    void aRejectedDrainDoesNotLeaveTheQueueStuck() {
        List<String> ran = new ArrayList<>();
        SerialExecutor serial = serial(refusing(1));

        assertThrows(RejectedExecutionException.class, () -> serial.execute(() -> ran.add("refused")));
        serial.execute(() -> ran.add("next"));

        assertEquals(List.of("next"), ran, "a task after a refused one must run");
    }

    @Test
    void aRejectedResumeAfterAHoldDoesNotLeaveTheQueueStuck() {
        List<String> ran = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        // the first drain runs; the resume after the hold is refused; later drains run
        Executor delegate = task -> {
            if (calls.incrementAndGet() == 2) {
                throw new RejectedExecutionException("busy");
            }
            task.run();
        };
        SerialExecutor serial = serial(delegate);
        SerialExecutor.Hold[] hold = new SerialExecutor.Hold[1];
        serial.execute(() -> {
            ran.add("holding");
            hold[0] = serial.hold();
        });
        serial.execute(() -> ran.add("behind the hold"));
        hold[0].release(); // the resume is refused: what was queued behind the hold is dropped

        serial.execute(() -> ran.add("later"));

        assertEquals(List.of("holding", "later"), ran, "a task after a refused resume must run");
    }

    @Test
    void aHeldQueueRunsItsNextTaskOnlyOnReleaseAndOnTheReleasingThread() {
        List<String> ran = new ArrayList<>();
        SerialExecutor serial = serial(Runnable::run);
        SerialExecutor.Hold[] hold = new SerialExecutor.Hold[1];
        serial.execute(() -> {
            ran.add("holding");
            hold[0] = serial.hold();
            assertSame(hold[0], serial.hold(), "one hold per task");
            assertSame(hold[0], serial.current());
        });
        serial.execute(() -> ran.add("next:" + Thread.currentThread().getName()));
        assertEquals(List.of("holding"), ran, "nothing runs while held");

        Thread releaser = new Thread(hold[0]::release, "releaser");
        releaser.start();
        assertDoesNotHang(releaser);
        hold[0].release(); // a second release does nothing

        assertEquals(List.of("holding", "next:releaser"), ran);
        assertEquals(null, serial.current(), "the hold ended with its task");
    }

    @Test
    void aThrowingTaskDoesNotStopTheOnesAfterIt() {
        List<String> ran = new ArrayList<>();
        SerialExecutor serial = serial(Runnable::run);

        serial.execute(() -> {
            throw new IllegalStateException("listener bug (expected by this test)");
        });
        serial.execute(() -> ran.add("after"));

        assertEquals(List.of("after"), ran);
    }

    private static void assertDoesNotHang(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertEquals(false, t.isAlive(), "the releasing thread finished");
    }
}
