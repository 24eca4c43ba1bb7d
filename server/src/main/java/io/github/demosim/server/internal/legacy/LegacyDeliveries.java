package io.github.demosim.server.internal.legacy;

import io.github.demosim.frame.legacy.IncomingMessage;
import io.github.demosim.server.internal.OfflineDrain;
import io.github.demosim.server.internal.ServerConfig;
import io.github.demosim.server.internal.json.RawJson;
import io.github.demosim.server.internal.net.Connection;
import io.github.demosim.server.internal.net.Hold;
import io.github.demosim.server.internal.store.LegacyOfflineRow;
import io.github.demosim.server.internal.store.Page;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;

/**
 * Hands stored rows to the peers registered on this node (legacy-and-crypto.md §A.8 delivery): the queue right after
 * a registration, and later the rows another cluster node stored for a peer here and announced (docs/cluster.md).
 * Each peer has one pass at a time reading its pending rows oldest first, so a row is written once and the pair's
 * order is kept; a request that comes while a pass runs makes one more pass follow it. A row is marked sent once its
 * frame is written (OfflineDrain), so what a pass could not write waits for the next one or the next registration.
 */
final class LegacyDeliveries {
    private final LegacyContext x;
    private final Map<String, Recipient> recipients = new ConcurrentHashMap<>();

    LegacyDeliveries(LegacyContext context) {
        this.x = context;
    }

    /** A peer registered: its queue goes out, holding the connection's next frame (hardened) until it is written. */
    void registered(Connection c, String recipientId) {
        Recipient r = new Recipient(c, recipientId);
        recipients.put(recipientId, r);
        r.pass(c.hold());
    }

    /**
     * Another node stored rows for a peer registered here: a pass follows. Rows named {@code live} were sent to a
     * peer that was online (on this node) when stored, so they go out as live messages, without a timestamp.
     */
    void routed(String recipientId, Collection<Long> live) {
        Recipient r = recipients.get(recipientId);
        if (r != null) {
            r.again(live);
        }
    }

    /** Notices may have been missed: every peer here gets a pass. */
    void resync() {
        recipients.values().forEach(r -> r.again(List.of()));
    }

    /** A peer's connection left (closed, or its id taken over): no more passes for it. */
    void gone(String recipientId, Connection c) {
        recipients.computeIfPresent(recipientId, (k, r) -> r.connection == c ? null : r);
    }

    private final class Recipient {
        private final Connection connection;
        private final String recipientId;
        private final Set<Long> live = new HashSet<>();
        private boolean running;
        private boolean again;

        Recipient(Connection connection, String recipientId) {
            this.connection = connection;
            this.recipientId = recipientId;
        }

        void pass(Hold hold) {
            synchronized (this) {
                running = true;
            }
            new Pass(this, hold, true).start();
        }

        void again(Collection<Long> liveRows) {
            synchronized (this) {
                live.addAll(liveRows);
                if (running) {
                    again = true;
                    return;
                }
                running = true;
            }
            startLater();
        }

        private void startLater() {
            try {
                x.workers.execute(() -> new Pass(this, Hold.NONE, false).start()); // not on the cluster's events thread
            } catch (RejectedExecutionException e) {
                ended(); // stopping: the rows stay queued
            }
        }

        void ended() {
            synchronized (this) {
                if (!again || !connection.isOpen()) {
                    running = false;
                    again = false;
                    return;
                }
                again = false;
            }
            startLater();
        }

        synchronized boolean wasLive(long rowId) {
            return live.remove(rowId);
        }
    }

    /** One pass over a peer's pending rows, a page at a time. */
    private final class Pass extends OfflineDrain<LegacyOfflineRow> {
        private final Recipient recipient;
        private final Set<Long> liveRows = new HashSet<>();
        private final boolean afterRegistration;

        Pass(Recipient recipient, Hold hold, boolean afterRegistration) {
            super(recipient.connection, x.workers, hold);
            this.recipient = recipient;
            this.afterRegistration = afterRegistration;
        }

        @Override
        protected Page<LegacyOfflineRow> load(Page.Cursor after) {
            return x.store.pendingLegacyPage(recipient.recipientId, after, ServerConfig.DRAIN_PAGE_ROWS,
                    ServerConfig.DRAIN_PAGE_BYTES);
        }

        @Override
        protected String frame(LegacyOfflineRow row) {
            // The stored message goes out as stored, not parsed into a tree (it may be megabytes of numbers).
            boolean isLive = recipient.wasLive(row.id());
            if (isLive) {
                liveRows.add(row.id());
            }
            return RawJson.write(new IncomingMessage(RawJson.MARK, row.senderId(), isLive ? null : row.timestamp()),
                    row.contentJson());
        }

        @Override
        protected void written(List<LegacyOfflineRow> rows) {
            List<Long> sent = new ArrayList<>(rows.size());
            Map<String, List<Long>> perSender = new HashMap<>();
            int live = 0;
            for (LegacyOfflineRow row : rows) {
                sent.add(row.id());
                if (liveRows.contains(row.id())) {
                    live++; // routed to a peer online elsewhere: not counted against the sender's offline quota
                } else {
                    perSender.computeIfAbsent(row.senderId(), k -> new ArrayList<>()).add(row.id());
                }
            }
            x.store.markLegacySent(sent);
            x.metrics.redelivered(LegacyProtocol.PROTOCOL, sent.size() - live);
            for (int i = 0; i < live; i++) {
                x.metrics.deliveredLive(LegacyProtocol.PROTOCOL);
            }
            perSender.forEach(x.cluster::delivered); // §A.8 delivery step 4, on the node that counts the sender
        }

        @Override
        protected void ended(RuntimeException failure) {
            try {
                if (failure != null && afterRegistration) { // §A.6 4.register b.6
                    x.error(connection, "INTERNAL_ERROR", "Failed to complete registration");
                }
            } finally {
                recipient.ended();
            }
        }
    }
}
