package io.github.demosim.server.internal.cluster;

import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One server process as a member of a cluster on PostgreSQL: its node id, its lease ({@link NodeLease}), its
 * notices ({@link ClusterBus}) and its registrations ({@link ClusterPresence}).
 *
 * <p>What a node learns reaches {@link Events} on two paths: a notice (prompt) and the lease table, read on every
 * heartbeat and whenever LISTEN is re-established (the notices a node missed while disconnected are lost, so it
 * compares the table with what it knew). Each dead node is reported once.
 */
public final class ClusterNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
    /** Bounds the memory of nodes already reported down: a node id is a UUID per process start. */
    private static final int REMEMBERED_DOWN = 10_000;

    /** What the node reports, on the cluster's threads; keep the calls short. */
    public interface Events {
        /**
         * Another node stopped (cleanly, or its lease expired): its registrations are gone from the table.
         *
         * @param nodeId the node
         */
        default void nodeDown(String nodeId) {
        }

        /**
         * A key registered on this node was registered on another one: close the connection here.
         *
         * @param protocol the protocol
         * @param keyDigest the SHA-256 hex of the key
         */
        default void takenOver(String protocol, String keyDigest) {
        }

        /** This node's lease had expired and was reaped: its registrations are gone and must be made again. */
        default void ownLeaseLost() {
        }

        /** Notices may have been missed (LISTEN was re-established): re-read what they would have said. */
        default void resync() {
        }

        /**
         * A notice of another kind than the node's own ({@link Notice#NODE_DOWN}, {@link Notice#TAKEOVER}): presence
         * and routing notices, for {@link NodeRouting}. Called on the bus's thread.
         *
         * @param notice the notice
         */
        default void notice(Notice notice) {
        }
    }

    private final String nodeId;
    private final NodeLease lease;
    private final ClusterBus bus;
    private final ClusterPresence presence;
    private final Events events;
    private final ScheduledExecutorService heartbeat;
    private final Set<String> known = new HashSet<>();
    private final Set<String> reportedDown = new LinkedHashSet<>();
    private volatile boolean closed;

    private ClusterNode(ClusterDatabase database, String description, NodeLease.Timing timing, Events events) {
        this.nodeId = UUID.randomUUID().toString();
        this.events = events;
        this.lease = new NodeLease(database, nodeId, description, timing, events::ownLeaseLost);
        this.presence = new ClusterPresence(database, nodeId);
        this.bus = new ClusterBus(database, new ClusterBus.Listener() {
            @Override
            public void notice(Notice notice) {
                heard(notice);
            }

            @Override
            public void listening() {
                resync();
            }
        });
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demos-im-cluster-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Joins the cluster with the default lease timing ({@link #HEARTBEAT_SECONDS} s heartbeat,
     * {@link #EXPIRY_SECONDS} s expiry).
     *
     * @param database the cluster's database
     * @param description what the node is, for operators (host, ports); at most 200 characters are kept
     * @param events who hears what happens
     * @return the node, its lease written and its bus starting
     * @throws SQLException if the lease cannot be written
     */
    public static ClusterNode join(ClusterDatabase database, String description, Events events) throws SQLException {
        return join(database, description, NodeLease.Timing.DEFAULT, events);
    }

    /** The default heartbeat. */
    public static final long HEARTBEAT_SECONDS = NodeLease.Timing.DEFAULT.heartbeat().toSeconds();
    /** The default lease expiry. */
    public static final long EXPIRY_SECONDS = NodeLease.Timing.DEFAULT.expiry().toSeconds();

    static ClusterNode join(ClusterDatabase database, String description, NodeLease.Timing timing, Events events)
            throws SQLException {
        ClusterNode node = new ClusterNode(database, description, timing, events);
        try {
            node.lease.acquire();
        } catch (SQLException e) {
            node.close();
            throw e;
        }
        node.bus.start();
        long period = timing.heartbeat().toMillis();
        node.heartbeat.scheduleWithFixedDelay(node::beat, period, period, TimeUnit.MILLISECONDS);
        return node;
    }

    private void beat() {
        try {
            for (String dead : lease.renewAndReap()) {
                reportDown(dead);
            }
            compare(lease.liveNodes());
        } catch (SQLException e) {
            if (!closed) {
                LOG.log(System.Logger.Level.WARNING, "cluster lease renewal failed ({0}); retrying in {1} ms",
                        e.getMessage(), String.valueOf(lease.timing().heartbeat().toMillis()));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cluster heartbeat failed", e);
        }
    }

    private void heard(Notice notice) {
        switch (notice.kind()) {
            case Notice.NODE_DOWN -> notice.ids().forEach(this::reportDown);
            case Notice.TAKEOVER -> {
                if (notice.ids().size() == 3 && notice.ids().get(0).equals(nodeId)) {
                    events.takenOver(notice.ids().get(1), notice.ids().get(2));
                }
            }
            default -> events.notice(notice);
        }
    }

    private void resync() {
        try {
            compare(lease.liveNodes());
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "cluster resync could not read the leases ({0}); the next "
                    + "heartbeat does", e.getMessage());
        }
        events.resync();
    }

    /** Nodes known before and gone from the table now are down (their notice may have been missed). */
    private void compare(Set<String> live) {
        Set<String> gone;
        synchronized (this) {
            gone = new HashSet<>(known);
            gone.removeAll(live);
            known.clear();
            known.addAll(live);
        }
        gone.forEach(this::reportDown);
    }

    private void reportDown(String id) {
        if (id.equals(nodeId) || closed) {
            return;
        }
        synchronized (this) {
            known.remove(id);
            if (!reportedDown.add(id)) {
                return;
            }
            if (reportedDown.size() > REMEMBERED_DOWN) {
                reportedDown.remove(reportedDown.iterator().next());
            }
        }
        events.nodeDown(id);
    }

    /**
     * This node's id, a UUID chosen at start.
     *
     * @return the id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * The registrations.
     *
     * @return the presence table
     */
    public ClusterPresence presence() {
        return presence;
    }

    /**
     * The notices.
     *
     * @return the bus
     */
    public ClusterBus bus() {
        return bus;
    }

    /** Stops as a killed process would, for tests: no goodbye, the lease is left to expire. */
    void halt() {
        closed = true;
        heartbeat.shutdownNow();
        bus.close();
        presence.close();
        lease.close();
    }

    /** Leaves the cluster: deletes the lease (with it this node's registrations) and closes the sessions. */
    @Override
    public void close() {
        closed = true;
        heartbeat.shutdownNow();
        try {
            heartbeat.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lease.release();
        bus.close();
        presence.close();
        lease.close();
    }
}
