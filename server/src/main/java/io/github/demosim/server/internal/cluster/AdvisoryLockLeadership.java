package io.github.demosim.server.internal.cluster;

import io.github.demosim.server.internal.store.JdbcPool;
import io.github.demosim.server.internal.pipeline.Leadership;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Leadership by a PostgreSQL session-level advisory lock, held on a session of its own: the leader is the process
 * whose session holds the lock; PostgreSQL frees it when that session ends (the process died, its connection was
 * closed or cut), and the next process to ask takes it.
 *
 * <p>Every {@link #lead()} of the leader makes one round trip on the lock's session, so a leader whose session
 * ended stops leading at its next round. Residual window: a round already running when the leader's session is
 * cut may finish while a new leader starts; a network cut is noticed by PostgreSQL only through TCP keep-alive,
 * and the old leader's store writes go through the same cut network. Should two rounds overlap all the same, the
 * store keeps a message from being batched twice (it moves from pending to batched once; a batch of the same
 * transactions is refused by its primary key), though a batch row may then list transactions another batch took.
 */
public final class AdvisoryLockLeadership implements Leadership {
    private static final System.Logger LOG = System.getLogger(AdvisoryLockLeadership.class.getName());

    private final ClusterDatabase database;
    private final long lockKey;
    private final String what;
    private Connection session;
    private boolean leading;
    private boolean closed;

    /**
     * Creates the leadership (nothing is locked until {@link #lead()}).
     *
     * @param database the cluster's database
     * @param lockKey the advisory lock's key, one per kind of work
     * @param what the work, for the log
     */
    public AdvisoryLockLeadership(ClusterDatabase database, long lockKey, String what) {
        this.database = database;
        this.lockKey = lockKey;
        this.what = what;
    }

    @Override
    public synchronized boolean lead() {
        if (closed) {
            return false;
        }
        try {
            if (session == null) {
                session = database.open("leader of " + what, 10);
            }
            if (leading) {
                try (PreparedStatement p = session.prepareStatement("SELECT 1")) {
                    p.execute(); // the session (and so the lock) is still there
                }
                return true;
            }
            try (PreparedStatement p = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                p.setLong(1, lockKey);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    leading = r.getBoolean(1);
                }
            }
            if (leading) {
                LOG.log(System.Logger.Level.INFO, "this node now leads the {0}", what);
            }
            return leading;
        } catch (SQLException e) {
            if (leading) {
                LOG.log(System.Logger.Level.WARNING, "this node lost the lead of the {0}: its lock session failed "
                        + "({1})", what, e.getMessage());
            }
            dropSession();
            return false;
        }
    }

    private void dropSession() {
        leading = false;
        JdbcPool.closeQuietly(session);
        session = null;
    }

    /**
     * Whether this process held the lead at its last {@link #lead()}.
     *
     * @return the last answer
     */
    public synchronized boolean leading() {
        return leading;
    }

    /** Ends the lock's session, which frees the lock. */
    @Override
    public synchronized void close() {
        closed = true;
        dropSession();
    }
}
