package io.github.demosim.server.internal.pipeline;

import io.github.demosim.server.SubmissionPolicy;
import io.github.demosim.server.internal.store.BatchRow;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.PipelineRound;
import io.github.demosim.server.internal.store.PipelineState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The simulated L2PS pipeline: every tick it confirms the batches older than the finality delay, then groups
 * the admitted messages of each network into batches of at most {@code batchSize}, submits each batch through
 * the {@link SubmissionPolicy} and records it; confirmations and records go to the store a round of
 * {@value #BATCHES_PER_ROUND} batches at a time, one commit each, and a tick works through the whole backlog (up
 * to a bound), so the pipeline keeps up with the server's message rate. While a tick has time in hand it pauses
 * after each round as long as the round took ({@link #pauseAfterRound}). All state is in the database, so the
 * pipeline resumes after a restart where it stopped. Status changes are reported to a listener (the server turns
 * them into {@code message_status} pushes).
 *
 * <p>Once per cluster: several server processes on one PostgreSQL database share the pending transactions, so
 * only the process that holds the {@link Leadership} runs rounds; the others ask again every interval and take
 * over when the leader is gone (docs/cluster.md).
 */
public final class L2psPipeline implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(L2psPipeline.class.getName());
    /**
     * Batches formed per store round trip: their pending rows are read with one query and recorded with one
     * commit. A commit costs about what a few hundred row updates cost, so one per batch of 10 (the reference's
     * batch size) made the pipeline the server's bottleneck (docs/performance.md, issue 16). Not more: a round's
     * transaction holds its rows' locks, and the store writer's acknowledgements wait for them.
     */
    static final int BATCHES_PER_ROUND = 20;
    /**
     * A bound on the rounds of one network in one tick, so that a huge backlog cannot starve the other networks:
     * 500 rounds of 20 batches of 10 is 100,000 transactions per tick, 10,000 a second at the default interval.
     * {@link #close} stops a tick between rounds.
     */
    private static final int MAX_ROUNDS_PER_NETWORK_PER_TICK = 500;
    /** Batches due for confirmation read at a time (each holds its transactions' hashes: about 1 KB). */
    static final int DUE_PER_READ = 1_000;
    /** Reads of due batches in one tick: 10,000 batches, as many as a tick forms from 100,000 transactions. */
    private static final int MAX_DUE_READS_PER_TICK = 10;

    private final MessageStore store;
    private final L2psHashes hashes;
    private final SubmissionPolicy policy;
    private final int batchSize;
    private final Duration interval;
    private final Duration finalityDelay;
    private final LongSupplier clock;
    private final Consumer<List<L2psMessageRow>> statusListener;
    private final ScheduledExecutorService scheduler;
    private final Leadership leadership;
    /** Set by {@link #close}: a running tick stops between rounds. */
    private volatile boolean closing;

    /**
     * Creates the pipeline (not started).
     *
     * @param store the store
     * @param hashes hash functions
     * @param policy the fault hook
     * @param batchSize maximum transactions per batch
     * @param interval time between ticks
     * @param finalityDelay time from batch submission to confirmation
     * @param clock current time in ms
     * @param statusListener receives messages whose pipeline state changed (rows carry the new state)
     * @param leadership whether this process runs the rounds (closed with the pipeline)
     */
    public L2psPipeline(MessageStore store, L2psHashes hashes, SubmissionPolicy policy, int batchSize,
            Duration interval, Duration finalityDelay, LongSupplier clock,
            Consumer<List<L2psMessageRow>> statusListener, Leadership leadership) {
        this.leadership = leadership;
        this.store = store;
        this.hashes = hashes;
        this.policy = policy;
        this.batchSize = batchSize;
        this.interval = interval;
        this.finalityDelay = finalityDelay;
        this.clock = clock;
        this.statusListener = statusListener;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demos-im-l2ps-pipeline");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts ticking. */
    public void start() {
        long periodMs = Math.max(1, interval.toMillis());
        scheduler.scheduleWithFixedDelay(this::tickSafely, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "L2PS pipeline tick failed; retrying at the next tick", e);
        }
    }

    /**
     * One round: confirm what is final, then batch what is pending. Rounds never overlap, so a round run by
     * hand cannot batch a transaction the scheduled round is batching. A process that does not lead does nothing.
     *
     * @return whether this process led and so ran the round
     */
    public synchronized boolean tick() {
        if (!leadership.lead()) {
            return false;
        }
        long now = clock.getAsLong();
        long tickStart = System.nanoTime();
        for (int read = 0; read < MAX_DUE_READS_PER_TICK && !closing; read++) {
            List<BatchRow> due = store.batchesSubmittedBefore(now - finalityDelay.toMillis(), DUE_PER_READ);
            for (int from = 0; from < due.size() && !closing; from += BATCHES_PER_ROUND) {
                List<String> hashes = new ArrayList<>();
                for (BatchRow batch : due.subList(from, Math.min(due.size(), from + BATCHES_PER_ROUND))) {
                    hashes.add(batch.batchHash());
                }
                long roundStart = System.nanoTime();
                List<L2psMessageRow> confirmed = store.confirmBatches(hashes, now);
                if (!confirmed.isEmpty()) {
                    statusListener.accept(confirmed);
                }
                pace(tickStart, roundStart);
            }
            if (due.size() < DUE_PER_READ) {
                break;
            }
        }
        int perRound = batchSize * BATCHES_PER_ROUND;
        for (String uid : store.networksWithPendingTransactions()) {
            for (int i = 0; i < MAX_ROUNDS_PER_NETWORK_PER_TICK && !closing; i++) {
                long roundStart = System.nanoTime();
                List<L2psMessageRow> pending = store.pendingTransactions(uid, perRound);
                if (pending.isEmpty()) {
                    break;
                }
                submit(uid, pending, now);
                pace(tickStart, roundStart);
                if (pending.size() < perRound) {
                    break;
                }
            }
        }
        return true;
    }

    private void pace(long tickStart, long roundStart) {
        long end = System.nanoTime();
        long pause = pauseAfterRound(end - roundStart, end - tickStart, interval.toNanos());
        if (pause > 0 && !closing) {
            try {
                TimeUnit.NANOSECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // close() gave up waiting: the loops end on closing
            }
        }
    }

    /**
     * The pause after a round: as long as the round took, while the tick, paused, would still be within the first
     * half of the interval; nothing after that. A tick's rounds used to run back to back: at 1,000 msg/s about a
     * second of one core every 10 s, whose commits queue with the store writer's for H2's store lock, and the
     * sends arriving meanwhile made much of the acknowledgement tail (p99 at 1,000 msg/s: 18.8 ms back to back,
     * 14.6 paced, six pairs; docs/performance.md, issue 16, session 12). Paced, a tick takes at most half a core
     * while it has time in hand; past half the interval it runs flat out, so a backlog is worked off as fast as
     * before, and a tick is slowed by at most a quarter of the interval.
     *
     * @param roundNanos how long the round took
     * @param tickElapsedNanos time since the tick began, the round included
     * @param intervalNanos the interval between ticks
     * @return the pause in ns, 0 for none
     */
    static long pauseAfterRound(long roundNanos, long tickElapsedNanos, long intervalNanos) {
        long pause = Math.max(0, roundNanos);
        return tickElapsedNanos + pause <= intervalNanos / 2 ? pause : 0;
    }

    /** Forms the pending rows (oldest first) into batches of {@code batchSize}, submits each, records them all. */
    private void submit(String uid, List<L2psMessageRow> pending, long now) {
        List<PipelineRound> round = new ArrayList<>();
        List<L2psMessageRow> changed = new ArrayList<>(pending.size());
        for (int from = 0; from < pending.size(); from += batchSize) {
            List<L2psMessageRow> rows = pending.subList(from, Math.min(pending.size(), from + batchSize));
            PipelineRound batch = submitBatch(uid, rows, now);
            round.add(batch);
            for (L2psMessageRow row : rows) {
                changed.add(new L2psMessageRow(row.id(), row.from(), row.to(), row.l2psUid(), row.messageHash(),
                        row.encryptedJson(), row.l2psTxHash(), row.timestamp(), row.delivery(), row.viaQueue(),
                        batch.accepted() ? PipelineState.BATCHED : PipelineState.FAILED,
                        batch.accepted() ? batch.batch().batchHash() : null, batch.failure()));
            }
        }
        store.recordRound(round);
        statusListener.accept(changed);
    }

    private PipelineRound submitBatch(String uid, List<L2psMessageRow> rows, long now) {
        List<String> ids = new ArrayList<>(rows.size());
        List<String> txHashes = new ArrayList<>(rows.size());
        for (L2psMessageRow row : rows) {
            ids.add(row.id());
            txHashes.add(row.l2psTxHash());
        }
        String batchHash = hashes.batchHash(uid, txHashes);
        Optional<String> failure;
        try {
            failure = policy.submitBatch(new SubmissionPolicy.Batch(uid, batchHash, txHashes));
        } catch (RuntimeException e) {
            failure = Optional.of(String.valueOf(e.getMessage()));
        }
        if (failure.isPresent()) {
            LOG.log(System.Logger.Level.WARNING, "L2PS batch {0} of {1} ({2} transactions) refused: {3}",
                    batchHash, uid, String.valueOf(ids.size()), failure.get());
        } else {
            LOG.log(System.Logger.Level.DEBUG, "L2PS batch {0} of {1}: {2} transactions", batchHash, uid,
                    String.valueOf(ids.size()));
        }
        return new PipelineRound(new BatchRow(batchHash, uid, txHashes, now), ids, failure.orElse(null));
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
        leadership.close();
    }
}
