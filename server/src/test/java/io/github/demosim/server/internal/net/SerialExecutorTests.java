package io.github.demosim.server.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void aRejectedDrainDoesNotLeaveTheQueueStuck() {
        List<String> ran = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(refusing(1));

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
        SerialExecutor serial = new SerialExecutor(delegate);
        Hold[] hold = new Hold[1];
        serial.execute(() -> {
            ran.add("holding");
            hold[0] = serial.hold();
        });
        serial.execute(() -> ran.add("behind the hold"));
        hold[0].release(); // the resume is refused: what was queued behind the hold is dropped

        serial.execute(() -> ran.add("later"));

        assertEquals(List.of("holding", "later"), ran, "a task after a refused resume must run");
    }
}
