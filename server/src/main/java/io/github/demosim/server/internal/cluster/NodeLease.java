package io.github.demosim.server.internal.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node's lease: its row in {@code cluster_nodes}, renewed every {@link Timing#heartbeat()} to expire
 * {@link Timing#expiry()} after the renewal, both on the database's clock (nodes' clocks never compare).
 *
 * <p>Each renewal also reaps: it locks the expired rows of other nodes with {@code FOR UPDATE SKIP LOCKED}, so
 * when several survivors reap at once each expired node is reaped by exactly one of them, deletes them (their
 * {@code cluster_presence} rows go with them, {@code ON DELETE CASCADE}) and sends {@link Notice#NODE_DOWN} in
 * the same transaction. A node that dies is therefore gone from the tables at most expiry + heartbeat after its
 * last renewal (12 s with the defaults).
 *
 * <p>A node that finds its own row gone (it was paused or cut off for longer than the expiry and was reaped)
 * writes it again and reports {@link Events#ownLeaseLost()}: its registrations were removed and must be made
 * again.
 */
final class NodeLease implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NodeLease.class.getName());

    /**
     * The lease's timing.
     *
     * @param heartbeat time between renewals
     * @param expiry how long after a renewal the lease runs out: several heartbeats, so that a slow renewal or
     *     two (a busy database, a garbage collection) does not make a live node look dead
     */
    record Timing(Duration heartbeat, Duration expiry) {
        /** A heartbeat every 2 s, expiry after 10 s. */
        static final Timing DEFAULT = new Timing(Duration.ofSeconds(2), Duration.ofSeconds(10));

        Timing {
            if (heartbeat.toMillis() < 1 || expiry.compareTo(heartbeat.multipliedBy(3)) < 0) {
                throw new IllegalArgumentException("the lease expiry (" + expiry + ") must be at least three "
                        + "heartbeats (" + heartbeat + "), or a live node is reaped after one slow renewal");
            }
        }
    }

    /** What the lease reports. */
    interface Events {
        /** This node's own lease had expired and was renewed: its registrations are gone. */
        void ownLeaseLost();
    }

    private final String nodeId;
    private final String description;
    private final Timing timing;
    private final DedicatedConnection session;
    private final Events events;
    private boolean registered;

    NodeLease(ClusterDatabase database, String nodeId, String description, Timing timing, Events events) {
        this.nodeId = nodeId;
        this.description = description.length() > 200 ? description.substring(0, 200) : description;
        this.timing = timing;
        this.session = new DedicatedConnection(database, "lease");
        this.events = events;
    }

    /**
     * Writes the lease for the first time.
     *
     * @throws SQLException if the database refuses it
     */
    void acquire() throws SQLException {
        session.inTransaction(c -> {
            insert(c);
            return null;
        });
        registered = true;
    }

    private void insert(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO cluster_nodes (node_id, description, started_at, "
                + "heartbeat_at, expires_at) VALUES (?, ?, " + ClusterDatabase.NOW_MS + ", " + ClusterDatabase.NOW_MS
                + ", " + ClusterDatabase.NOW_MS + " + ?)")) {
            p.setString(1, nodeId);
            p.setString(2, description);
            p.setLong(3, timing.expiry().toMillis());
            p.executeUpdate();
        }
    }

    /**
     * Renews the lease and reaps the expired leases of others, in one transaction.
     *
     * @return the nodes this call reaped
     * @throws SQLException if the database cannot be reached (the next heartbeat tries again)
     */
    List<String> renewAndReap() throws SQLException {
        boolean[] lost = new boolean[1];
        List<String> reaped = session.inTransaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE cluster_nodes SET heartbeat_at = "
                    + ClusterDatabase.NOW_MS + ", expires_at = " + ClusterDatabase.NOW_MS + " + ? WHERE node_id = ?")) {
                p.setLong(1, timing.expiry().toMillis());
                p.setString(2, nodeId);
                if (p.executeUpdate() == 0) {
                    lost[0] = true;
                    insert(c);
                }
            }
            List<String> expired = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT node_id FROM cluster_nodes WHERE expires_at < "
                    + ClusterDatabase.NOW_MS + " AND node_id <> ? ORDER BY node_id FOR UPDATE SKIP LOCKED")) {
                p.setString(1, nodeId);
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        expired.add(r.getString(1));
                    }
                }
            }
            for (String dead : expired) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM cluster_nodes WHERE node_id = ?")) {
                    p.setString(1, dead);
                    p.executeUpdate(); // its cluster_presence rows go too (ON DELETE CASCADE)
                }
                ClusterBus.publish(c, Notice.of(Notice.NODE_DOWN, dead));
            }
            return expired;
        });
        for (String dead : reaped) {
            LOG.log(System.Logger.Level.WARNING, "cluster node {0} stopped renewing its lease; its registrations "
                    + "were removed", dead);
        }
        if (lost[0] && registered) {
            LOG.log(System.Logger.Level.WARNING, "this cluster node''s lease ({0}) had expired and was reaped; it is "
                    + "renewed, and the node''s registrations must be made again", nodeId);
            events.ownLeaseLost();
        }
        return reaped;
    }

    /**
     * The nodes whose leases are in the table now (expired ones not yet reaped included).
     *
     * @return their ids
     * @throws SQLException if the database cannot be reached
     */
    Set<String> liveNodes() throws SQLException {
        return session.inTransaction(c -> {
            Set<String> ids = new HashSet<>();
            try (PreparedStatement p = c.prepareStatement("SELECT node_id FROM cluster_nodes");
                    ResultSet r = p.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getString(1));
                }
            }
            return ids;
        });
    }

    /** Deletes the lease (a node that stops cleanly leaves at once, its registrations with it). */
    void release() {
        try {
            session.inTransaction(c -> {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM cluster_nodes WHERE node_id = ?")) {
                    p.setString(1, nodeId);
                    p.executeUpdate();
                }
                ClusterBus.publish(c, Notice.of(Notice.NODE_DOWN, nodeId));
                return null;
            });
        } catch (SQLException e) {
            LOG.log(System.Logger.Level.WARNING, "could not delete this node''s lease ({0}); the others reap it "
                    + "when it expires", e.getMessage());
        }
    }

    Timing timing() {
        return timing;
    }

    @Override
    public void close() {
        session.close();
    }
}
