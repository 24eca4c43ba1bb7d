package io.github.demosim.server.internal.cluster;

import io.github.demosim.server.internal.store.JdbcPool;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The cluster's notices over PostgreSQL LISTEN/NOTIFY, on one channel ({@value #CHANNEL}).
 *
 * <p>Receiving: a thread of its own holds a dedicated session that LISTENs and waits for notices with
 * {@link PGConnection#getNotifications(int)} (pgjdbc sees notices only while it reads the socket, so the session
 * is polled, half a second at a time; when quiet for {@value #PROBE_AFTER_MS} ms it is probed, so a half-open
 * connection is noticed too). When the session fails (PostgreSQL restarted, network lost) the thread opens a new
 * one with a backoff of 0.25 s doubling to 5 s, LISTENs again, and then calls {@link Listener#listening()}.
 *
 * <p>The gap: notices sent while a node was not listening are lost for good (PostgreSQL keeps none for a
 * session that is not there). So {@link Listener#listening()} is where a node re-reads from the tables whatever
 * it learns from notices, and it is called after every (re)connection, the first one included.
 *
 * <p>Sending: {@link #publish(Connection, Notice)} sends on the caller's connection, so inside the caller's
 * transaction the notice goes out only if that transaction commits (PostgreSQL's transactional NOTIFY);
 * {@link #publish(Notice)} sends at once on a session of the bus. A node also receives its own notices.
 */
public final class ClusterBus implements AutoCloseable {
    /** The channel. */
    public static final String CHANNEL = "demos_im_cluster";
    static final int PROBE_AFTER_MS = 5_000;
    private static final System.Logger LOG = System.getLogger(ClusterBus.class.getName());
    private static final int POLL_MS = 500;
    private static final long FIRST_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** Who hears the notices. Called on the bus's thread, one call at a time; keep it short. */
    public interface Listener {
        /**
         * A notice arrived.
         *
         * @param notice the notice
         */
        void notice(Notice notice);

        /** LISTEN is (re-)established: re-read from the tables what notices may have missed meanwhile. */
        default void listening() {
        }
    }

    private final ClusterDatabase database;
    private final Listener listener;
    private final DedicatedConnection sender;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile Connection listening;

    /**
     * Creates the bus (not started).
     *
     * @param database where to listen
     * @param listener who hears the notices
     */
    public ClusterBus(ClusterDatabase database, Listener listener) {
        this.database = database;
        this.listener = listener;
        this.sender = new DedicatedConnection(database, "notify");
        this.thread = new Thread(this::run, "demos-im-cluster-bus");
        this.thread.setDaemon(true);
    }

    /** Starts listening (on a thread of its own; {@link Listener#listening()} says when it is in place). */
    public void start() {
        thread.start();
    }

    /**
     * Sends a notice on the caller's connection: inside a transaction it is delivered only if that commits.
     *
     * @param connection a PostgreSQL connection, in a transaction or not
     * @param notice the notice
     * @throws SQLException if the database refuses it
     */
    public static void publish(Connection connection, Notice notice) throws SQLException {
        try (PreparedStatement p = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            p.setString(1, CHANNEL);
            p.setString(2, notice.payload());
            p.execute();
        }
    }

    /**
     * Sends a notice at once, outside any transaction.
     *
     * @param notice the notice
     * @throws SQLException if the database cannot be reached
     */
    public void publish(Notice notice) throws SQLException {
        sender.inTransaction(c -> {
            publish(c, notice);
            return null;
        });
    }

    /**
     * Sends notices at once, in one transaction, in order.
     *
     * @param notices the notices
     * @throws SQLException if the database cannot be reached
     */
    public void publishAll(java.util.List<Notice> notices) throws SQLException {
        sender.inTransaction(c -> {
            for (Notice n : notices) {
                publish(c, n);
            }
            return null;
        });
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        try {
            while (!closed) {
                Connection c = null;
                try {
                    c = database.open("listen", 0);
                    try (Statement s = c.createStatement()) {
                        s.execute("LISTEN " + CHANNEL);
                    }
                    listening = c;
                    backoff = FIRST_BACKOFF_MS;
                    LOG.log(System.Logger.Level.DEBUG, "cluster bus listening");
                    listener.listening();
                    receive(c);
                } catch (SQLException e) {
                    if (!closed) {
                        LOG.log(System.Logger.Level.WARNING, "cluster bus: the LISTEN session failed ({0}); "
                                + "reconnecting in {1} ms, then re-reading the cluster tables", e.getMessage(),
                                String.valueOf(backoff));
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "cluster bus: a listener failed; reconnecting", e);
                } finally {
                    listening = null;
                    JdbcPool.closeQuietly(c);
                }
                if (!closed) {
                    Thread.sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            stopped.countDown();
        }
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
            PGNotification[] notices = pg.getNotifications(POLL_MS);
            if (notices != null && notices.length > 0) {
                quietSince = System.nanoTime();
                for (PGNotification n : notices) {
                    deliver(n);
                }
            } else if (System.nanoTime() - quietSince > TimeUnit.MILLISECONDS.toNanos(PROBE_AFTER_MS)) {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1"); // fails on a connection the database side has gone from
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private void deliver(PGNotification n) {
        if (!CHANNEL.equals(n.getName())) {
            return;
        }
        Notice notice;
        try {
            notice = Notice.parse(n.getParameter());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "cluster bus: ignored a payload that is not a notice from "
                    + "backend {0}: {1}", String.valueOf(n.getPID()), e.getMessage());
            return;
        }
        listener.notice(notice);
    }

    /**
     * Whether LISTEN is in place now.
     *
     * @return {@code true} while the listening session is open
     */
    public boolean isListening() {
        return listening != null;
    }

    /** Stops listening and closes the sessions; waits up to 5 s for the thread. */
    @Override
    public void close() {
        closed = true;
        Connection c = listening;
        JdbcPool.closeQuietly(c); // ends a poll in progress
        thread.interrupt();
        try {
            if (thread.isAlive() && !stopped.await(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "cluster bus thread still running after 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.close();
    }
}
