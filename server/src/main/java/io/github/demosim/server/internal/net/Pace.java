package io.github.demosim.server.internal.net;

/**
 * The flood control of one connection as a pace (hardened mode): every message read is {@linkplain #charge
 * charged}, and in ordered mode the next one is read only after {@link #pauseNanos} has passed. A client beyond
 * the pace is slowed by TCP back-pressure, never refused: nothing it sent is lost, and a flood waits unread in its
 * own socket. Implementations are thread-safe.
 */
public interface Pace {

    /** Charges a message just read. */
    void charge();

    /** Gives back the charge of the message being handled: the protocol found it free (an ack it owes). */
    void refund();

    /**
     * How long to wait before reading the next message.
     *
     * @return nanoseconds, zero to read on at once
     */
    long pauseNanos();

    /**
     * This pace, telling {@code onPause} each time it makes the connection wait (the "frames paced" metric).
     *
     * @param onPause called once per pause, on the reading thread; must be cheap
     * @return the counting pace
     */
    default Pace counting(Runnable onPause) {
        Pace self = this;
        return new Pace() {
            @Override
            public void charge() {
                self.charge();
            }

            @Override
            public void refund() {
                self.refund();
            }

            @Override
            public long pauseNanos() {
                long pause = self.pauseNanos();
                if (pause > 0) {
                    onPause.run();
                }
                return pause;
            }
        };
    }
}
