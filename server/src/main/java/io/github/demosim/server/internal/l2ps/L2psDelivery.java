package io.github.demosim.server.internal.l2ps;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.frame.l2ps.Message;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.server.internal.OfflineDrain;
import io.github.demosim.server.internal.OfflineQuota;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.Hold;
import io.github.demosim.server.internal.store.DeliveryState;
import io.github.demosim.server.internal.store.L2psMessageRow;
import io.github.demosim.server.internal.store.MessageStore;
import io.github.demosim.server.internal.store.Page;
import io.github.demosim.spi.FrameCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * How L2PS messages reach their recipients: the offline drain after a registration (§6.1), live frames, which
 * wait behind a running drain so that the queue arrives first, and the requeue of a hardened live send whose
 * frame did not reach its recipient (B6 (3)), without a thread waiting for it. No lock is held meanwhile.
 */
final class L2psDelivery {
    private static final System.Logger LOG = System.getLogger(L2psDelivery.class.getName());
    /** Live frames held behind one drain at most (bytes); beyond, they go out at once (§6.1 allows it). */
    private static final long HELD_BYTES = ServerConfig.DRAIN_PAGE_BYTES;

    private final L2psRules rules;
    private final FrameCodec codec;
    private final MessageStore store;
    private final L2psReply reply;
    private final OfflineQuota quota;
    private final Executor workers;
    private final ServerMetrics metrics;
    private volatile BiFunction<String, String, CompletableFuture<Void>> requeued =
            (key, id) -> CompletableFuture.completedFuture(null);
    /** Tells the nodes of senders registered elsewhere that their offline messages were drained (cluster). */
    private final Consumer<List<L2psMessageRow>> drainedElsewhere;

    L2psDelivery(L2psRules rules, FrameCodec codec, MessageStore store, L2psReply reply, OfflineQuota quota,
            Executor workers, ServerMetrics metrics, Consumer<List<L2psMessageRow>> drainedElsewhere) {
        this.drainedElsewhere = drainedElsewhere;
        this.rules = rules;
        this.codec = codec;
        this.store = store;
        this.reply = reply;
        this.quota = quota;
        this.workers = workers;
        this.metrics = metrics;
    }

    /** A {@code message} frame. */
    String messageFrame(String from, JsonValue encrypted, String messageHash, boolean offline, long sentAt) {
        // The server relays `encrypted` as its sender wrote it (member order; in reference mode any member types),
        // so the record's is left empty and the relayed tree is written in its place. Hardened: fixes B13, the
        // original server time travels with the message.
        return reply.frame((at, id) -> new Message(from, null, messageHash, offline, rules.sendsSentAt() ? sentAt : null, at,
                id), null, FrameEncoder.Verbatim.at(FrameEncoder.Verbatim.ENCRYPTED, encrypted));
    }

    /**
     * Prepares the offline delivery of a registration; call {@link Drain#start()} once the registration lock is
     * released. Live frames to this connection wait behind it from now on.
     */
    Drain drain(Connection c, L2psSession s, String key, String uid, Hold hold, Consumer<RuntimeException> onFailure) {
        Drain d = new Drain(c, s, key, uid, hold, onFailure);
        s.drain(d);
        return d;
    }

    /**
     * Writes a live {@code message} frame to a recipient: behind its drain if one runs. The recipient gets the
     * credit to acknowledge it ({@link AckCredit}).
     */
    CompletableFuture<Void> writeLive(Connection recipient, String frame) {
        L2psSession s = recipient.state(L2psSession.class);
        if (s != null) {
            s.ackCredit.handedOne();
        }
        Drain d = s == null ? null : s.drain();
        CompletableFuture<Void> held = d == null ? null : d.hold(frame);
        return held != null ? held : recipient.send(frame);
    }

    /**
     * Hardened live send, answered already (its row is durable): a frame the recipient did not get (it vanished,
     * or stopped reading and is being closed) puts the message back in its queue, off the writing thread, and then
     * calls the {@link #onRequeued} hook: the recipient may have registered again meanwhile, its drain done before
     * the row was queued again, so the next registration's drain alone could leave it waiting while the recipient
     * stays connected. The sender is not told again.
     */
    void requeueIfUnwritten(CompletableFuture<Void> write, String messageId, String recipientKey) {
        write.whenComplete((ok, failure) -> {
            if (failure == null) {
                metrics.deliveredLive(L2psProtocol.PROTOCOL);
                return;
            }
            Runnable requeue = () -> {
                try {
                    store.requeue(messageId);
                    metrics.queued(L2psProtocol.PROTOCOL);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "could not requeue message " + messageId, e);
                    return;
                }
                requeued.apply(recipientKey, messageId);
            };
            try {
                workers.execute(requeue);
            } catch (RejectedExecutionException e) {
                requeue.run(); // stopping: do it here, it is one small update
            }
        });
    }

    /**
     * Who delivers a requeued row to a recipient registered again (recipient key, row id; completes once its frame
     * is handed to the connection, or left for a later drain); set once at start.
     */
    void onRequeued(BiFunction<String, String, CompletableFuture<Void>> hook) {
        this.requeued = hook;
    }

    /**
     * A row stored queued for a recipient that is registered here now: one stored while the recipient registered
     * (that registration's drain may have read the queue before the row's commit), or one following such a row
     * ({@link QueuedAhead}). Handed on as a requeued row is: claimed behind the drain, once, in row order.
     *
     * @return completes once the row's frame is handed to the recipient's connection, or left for a later drain
     */
    CompletableFuture<Void> claimQueued(String recipientKey, String messageId) {
        return requeued.apply(recipientKey, messageId);
    }

    /** One registration's offline delivery, with the live frames that arrive meanwhile. */
    final class Drain extends OfflineDrain<L2psMessageRow> {
        private final L2psSession session;
        private final String key;
        private final String uid;
        private final Consumer<RuntimeException> onFailure;
        private List<String> heldFrames = new ArrayList<>();
        private List<CompletableFuture<Void>> heldResults = new ArrayList<>();
        private final List<Runnable> afterEnd = new ArrayList<>();
        private long heldBytes;

        private Drain(Connection c, L2psSession session, String key, String uid, Hold hold,
                Consumer<RuntimeException> onFailure) {
            super(c, workers, hold);
            this.session = session;
            this.key = key;
            this.uid = uid;
            this.onFailure = onFailure;
        }

        /** Holds a live frame until the drain ends; {@code null} if it ended, or holds enough already. */
        synchronized CompletableFuture<Void> hold(String frame) {
            if (heldFrames == null || heldBytes + frame.length() > HELD_BYTES) {
                return null;
            }
            CompletableFuture<Void> result = new CompletableFuture<>();
            heldFrames.add(frame);
            heldResults.add(result);
            heldBytes += frame.length();
            return result;
        }

        /** Runs a task once the drain ended and its held frames went out; at once if it has ended. */
        void after(Runnable task) {
            synchronized (this) {
                if (heldFrames != null) {
                    afterEnd.add(task);
                    return;
                }
            }
            task.run();
        }

        @Override
        protected Page<L2psMessageRow> load(Page.Cursor after) {
            return store.undeliveredPage(key, uid, after, ServerConfig.DRAIN_PAGE_ROWS, ServerConfig.DRAIN_PAGE_BYTES);
        }

        @Override
        protected String frame(L2psMessageRow row) {
            session.ackCredit.handedOne(); // the frame is written next: its ack is free (AckCredit)
            return messageFrame(row.from(), codec.parse(row.encryptedJson()), row.messageHash(), true,
                    row.timestamp());
        }

        @Override
        protected void written(List<L2psMessageRow> rows) {
            List<String> ids = new ArrayList<>(rows.size());
            List<String> senders = new ArrayList<>(rows.size());
            for (L2psMessageRow row : rows) {
                ids.add(row.id());
                senders.add(row.from());
                if (row.delivery() == DeliveryState.QUEUED) {
                    quota.release(row.from(), 1);
                }
            }
            quota.reset(senders); // REF: every sender of the drained batch starts from 0 again (§6.2)
            drainedElsewhere.accept(rows); // the counters of senders on other nodes are theirs (docs/cluster.md)
            boolean acking = rules.extensions() && session.has(L2psProtocol.FEATURE_ACK);
            store.setDelivery(ids, acking ? DeliveryState.PENDING_ACK : DeliveryState.SENT);
            metrics.redelivered(L2psProtocol.PROTOCOL, ids.size());
        }

        @Override
        protected void ended(RuntimeException failure) {
            synchronized (this) { // a live frame offered from now on goes out after these
                for (int i = 0; i < heldFrames.size(); i++) {
                    CompletableFuture<Void> result = heldResults.get(i);
                    connection.send(heldFrames.get(i)).whenComplete((ok, e) -> {
                        if (e == null) {
                            result.complete(null);
                        } else {
                            result.completeExceptionally(e);
                        }
                    });
                }
                heldFrames = null;
                heldResults = null;
            }
            session.drainEnded(this);
            List<Runnable> tasks;
            synchronized (this) {
                tasks = List.copyOf(afterEnd);
                afterEnd.clear();
            }
            tasks.forEach(Runnable::run);
            if (failure != null) {
                onFailure.accept(failure);
            }
        }
    }
}
