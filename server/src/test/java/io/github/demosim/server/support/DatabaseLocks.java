package io.github.demosim.server.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Row locks a test takes in the server's database (H2 or PostgreSQL), to stop one of the server's statements at a
 * chosen point until the test ends its transaction: how a race whose window is microseconds is made certain.
 */
public final class DatabaseLocks {
    private DatabaseLocks() {
    }

    /**
     * Writes an uncommitted row with this message hash: the server's insert of a message with the hash waits for
     * the test's transaction (its unique index), and goes on when the test rolls back.
     *
     * @param c a connection with auto-commit off
     * @param hash the message hash
     */
    public static void holdInsertOf(Connection c, String hash) throws SQLException {
        String other = "f".repeat(64);
        try (PreparedStatement p = c.prepareStatement("INSERT INTO l2ps_messages (id, from_key, from_digest, to_key, "
                + "to_digest, l2ps_uid, message_hash, hash_digest, sent_at, delivery, via_queue, pipeline) "
                + "VALUES (?, ?, ?, ?, ?, 'held', ?, ?, 0, 'queued', TRUE, 'pending')")) {
            p.setString(1, UUID.randomUUID().toString());
            p.setString(2, other);
            p.setString(3, digest(other));
            p.setString(4, other);
            p.setString(5, digest(other));
            p.setString(6, hash);
            p.setString(7, digest(hash));
            p.executeUpdate();
        }
    }

    /**
     * Locks the stored row of a message: the server's updates of it (its delivery state) wait for the test.
     *
     * @param c a connection with auto-commit off
     * @param hash the message hash
     */
    public static void holdUpdatesOf(Connection c, String hash) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM l2ps_messages WHERE hash_digest = ? FOR UPDATE")) {
            p.setString(1, digest(hash));
            try (ResultSet r = p.executeQuery()) {
                if (!r.next()) {
                    throw new AssertionError("no stored message has the hash " + hash);
                }
            }
        }
    }

    /**
     * Waits until a server statement that starts so waits for a lock.
     *
     * @param url the server's database
     * @param statement the start of the statement's text
     */
    public static void awaitWaiting(String url, String statement) throws SQLException, InterruptedException {
        // H2 shows a row-lock wait as BLOCKED and a unique-index wait as RUNNING (the insert takes microseconds)
        String waiting = url.startsWith("jdbc:postgresql:")
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE ?"
                : "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_STATE IN ('RUNNING', 'BLOCKED') "
                        + "AND EXECUTING_STATEMENT LIKE ?";
        long deadline = System.nanoTime() + WsClient.HANG_GUARD.toNanos();
        try (Connection c = DriverManager.getConnection(url); PreparedStatement p = c.prepareStatement(waiting)) {
            p.setString(1, statement + "%");
            while (true) {
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    if (r.getLong(1) > 0) {
                        return;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("no server statement " + statement + "… waited for the test's lock "
                            + "within " + WsClient.HANG_GUARD.toSeconds() + " s");
                }
                Thread.sleep(10);
            }
        }
    }

    /** The index key of the message table (JdbcMessageStore.messageDigest: the first 128 bits of SHA-256). */
    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
