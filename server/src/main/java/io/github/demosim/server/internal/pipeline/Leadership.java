package io.github.demosim.server.internal.pipeline;

/**
 * Whether this process runs the work that must run once per cluster (the L2PS pipeline): asked before every
 * round, so a process that loses the lead stops at its next round and one that gains it starts.
 */
public interface Leadership extends AutoCloseable {
    /** A process alone on its database (H2) always leads. */
    Leadership ALONE = new Leadership() {
        @Override
        public boolean lead() {
            return true;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Whether this process leads now, trying to become the leader when nobody is.
     *
     * @return {@code true} when it leads
     */
    boolean lead();

    /** Gives the lead up (another process takes it at its next round). */
    @Override
    void close();
}
