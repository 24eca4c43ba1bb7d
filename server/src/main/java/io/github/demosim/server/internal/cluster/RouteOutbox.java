package io.github.demosim.server.internal.cluster;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Routes waiting to become {@link Notice#ROWS} notices, and the thread that sends them: whatever accumulated
 * while it sent the last batch goes in the next, in one transaction, as few notices as fit. Bounded: past
 * {@value #MAX_ROUTES} routes waiting (a database that does not answer) new ones are dropped with a warning; a
 * dropped route delays its row until the recipient's next drain, it never loses it.
 */
final class RouteOutbox implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RouteOutbox.class.getName());
    static final int MAX_ROUTES = 200_000;

    private final String self;
    private final ClusterBus bus;
    private final Map<String, List<String>> outbox = new LinkedHashMap<>();
    private final Thread notifier;
    private int outboxSize;
    private volatile boolean closed;

    RouteOutbox(String self, ClusterBus bus) {
        this.self = self;
        this.bus = bus;
        this.notifier = new Thread(this::notifyLoop, "demos-im-cluster-notify");
        this.notifier.setDaemon(true);
        this.notifier.start();
    }

    /** Queues entries ({@code rowId:digestPrefix}) for a node (or {@code any}), protocol and purpose. */
    void add(String to, String protocol, String purpose, List<String> entries) {
        synchronized (outbox) {
            if (outboxSize + entries.size() > MAX_ROUTES) {
                LOG.log(System.Logger.Level.WARNING, "cluster routes dropped: {0} are waiting for the database "
                        + "already; the rows wait for their recipients'' next drain", String.valueOf(outboxSize));
                return;
            }
            outbox.computeIfAbsent(to + ' ' + protocol + ' ' + purpose, k -> new ArrayList<>()).addAll(entries);
            outboxSize += entries.size();
            outbox.notifyAll();
        }
    }

    private void notifyLoop() {
        while (!closed) {
            Map<String, List<String>> batch;
            synchronized (outbox) {
                while (outbox.isEmpty() && !closed) {
                    try {
                        outbox.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                batch = new LinkedHashMap<>(outbox);
                outbox.clear();
                outboxSize = 0;
            }
            List<Notice> notices = new ArrayList<>();
            batch.forEach((target, entries) -> notices.addAll(split(target.split(" "), entries)));
            try {
                bus.publishAll(notices);
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "cluster routes not sent ({0}); their rows wait for their "
                            + "recipients'' next drain or resync", e.getMessage());
                }
            }
        }
    }

    /** Routes of one target as few notices as fit. */
    private List<Notice> split(String[] target, List<String> entries) {
        List<Notice> out = new ArrayList<>();
        List<String> ids = head(target);
        int bytes = Notice.ROWS.length() + ids.stream().mapToInt(s -> s.length() + 1).sum();
        int base = bytes;
        for (String e : entries) {
            if (bytes + e.length() + 1 > Notice.MAX_PAYLOAD_BYTES) {
                out.add(new Notice(Notice.ROWS, ids));
                ids = head(target);
                bytes = base;
            }
            ids.add(e);
            bytes += e.length() + 1;
        }
        out.add(new Notice(Notice.ROWS, ids));
        return out;
    }

    private List<String> head(String[] target) {
        List<String> ids = new ArrayList<>();
        ids.add(self);
        ids.add(target[0]);
        ids.add(target[1]);
        ids.add(target[2]);
        return ids;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (outbox) {
            outbox.notifyAll();
        }
        notifier.interrupt();
    }
}
