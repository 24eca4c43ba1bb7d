package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The statements that change L2PS message rows, on a connection the caller owns: the same SQL whether a write
 * commits alone ({@link JdbcMessageStore}) or with others ({@link GroupCommit}).
 */
final class L2psMessageWrites {
    private L2psMessageWrites() {
    }

    /** Inserts a message row and its body; a duplicate hash fails with SQLSTATE 23505. */
    static int insert(Connection c, L2psMessageRow m) throws SQLException {
        try (Inserts inserts = new Inserts(c)) {
            return inserts.one(m);
        }
    }

    /**
     * The two statements of a message insert, prepared once and used for any number of rows: one at a time
     * ({@link #one}, where each row may fail alone) or as JDBC batches ({@link #add}, {@link #execute}: one
     * round trip per statement on PostgreSQL, no per-row statement preparation on either database).
     */
    static final class Inserts implements AutoCloseable {
        private final PreparedStatement rows;
        private final PreparedStatement bodies;
        private int batched;

        Inserts(Connection c) throws SQLException {
            rows = c.prepareStatement("INSERT INTO l2ps_messages (id, from_key, from_digest, "
                    + "to_key, to_digest, l2ps_uid, message_hash, hash_digest, size_bytes, l2ps_tx_hash, sent_at, "
                    + "delivery, via_queue, pipeline, batch_hash, failure_reason) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            try {
                bodies = c.prepareStatement("INSERT INTO l2ps_message_bodies (encrypted, id) VALUES (?, ?)");
            } catch (SQLException e) {
                rows.close();
                throw e;
            }
        }

        /** Inserts one message now; a duplicate hash fails with SQLSTATE 23505 and writes nothing. */
        int one(L2psMessageRow m) throws SQLException {
            bindRow(m);
            rows.executeUpdate();
            bindBody(m);
            return bodyWritten(bodies.executeUpdate());
        }

        /** Adds a message to the batch that {@link #execute} writes. */
        void add(L2psMessageRow m) throws SQLException {
            bindRow(m);
            rows.addBatch();
            bindBody(m);
            bodies.addBatch();
            batched++;
        }

        /** Writes the rows added, then their bodies; any failure (a duplicate too) fails the whole batch. */
        void execute() throws SQLException {
            if (batched > 0) {
                batched = 0;
                rows.executeBatch();
                for (int written : bodies.executeBatch()) {
                    bodyWritten(written);
                }
            }
        }

        /** A message without its body would be skipped by every read: fail the write rather than lose it quietly. */
        private static int bodyWritten(int rows) throws SQLException {
            if (rows != 1 && rows != java.sql.Statement.SUCCESS_NO_INFO) {
                throw new SQLException("a message body was written " + rows + " times instead of once");
            }
            return 1;
        }

        private void bindRow(L2psMessageRow m) throws SQLException {
            PreparedStatement p = rows;
            p.setString(1, m.id());
            p.setString(2, m.from());
            p.setString(3, JdbcMessageStore.messageDigest(m.from()));
            p.setString(4, m.to());
            p.setString(5, JdbcMessageStore.messageDigest(m.to()));
            p.setString(6, m.l2psUid());
            p.setString(7, m.messageHash());
            p.setString(8, JdbcMessageStore.messageDigest(m.messageHash()));
            p.setInt(9, Utf8.size(m.from(), m.to(), m.messageHash(), m.encryptedJson()));
            Sql.setNullable(p, 10, m.l2psTxHash());
            p.setLong(11, m.timestamp());
            p.setString(12, m.delivery().column());
            p.setBoolean(13, m.viaQueue());
            p.setString(14, m.pipeline().column());
            Sql.setNullable(p, 15, m.batchHash());
            Sql.setNullable(p, 16, m.failureReason());
        }

        private void bindBody(L2psMessageRow m) throws SQLException {
            bodies.setString(1, m.encryptedJson());
            bodies.setString(2, m.id());
        }

        @Override
        public void close() throws SQLException {
            try {
                rows.close();
            } finally {
                bodies.close();
            }
        }
    }

    static int markAdmitted(Connection c, String id, String l2psTxHash) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET l2ps_tx_hash = ? WHERE id = ?")) {
            p.setString(1, l2psTxHash);
            p.setString(2, id);
            return p.executeUpdate();
        }
    }

    static int markRejected(Connection c, String id, String reason) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET delivery = ?, pipeline = ?, "
                + "failure_reason = ? WHERE id = ?")) {
            p.setString(1, DeliveryState.REJECTED.column());
            p.setString(2, PipelineState.FAILED.column());
            Sql.setNullable(p, 3, reason);
            p.setString(4, id);
            return p.executeUpdate();
        }
    }

    static int setDelivery(Connection c, List<String> chunk, DeliveryState state) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET delivery = ? WHERE id IN ("
                + Sql.placeholders(chunk.size()) + ")")) {
            p.setString(1, state.column());
            for (int i = 0; i < chunk.size(); i++) {
                p.setString(i + 2, chunk.get(i));
            }
            return p.executeUpdate();
        }
    }

    static int requeue(Connection c, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE l2ps_messages SET delivery = ?, via_queue = TRUE WHERE id = ?")) {
            p.setString(1, DeliveryState.QUEUED.column());
            p.setString(2, id);
            return p.executeUpdate();
        }
    }

    static int acknowledge(Connection c, String toKey, String messageHash) throws SQLException {
        try (Acks acks = new Acks(c)) {
            acks.add(toKey, messageHash);
            return acks.execute()[0];
        }
    }

    /** The acknowledgement statement, prepared once for a batch of acknowledgements. */
    static final class Acks implements AutoCloseable {
        private final PreparedStatement p;
        private int batched;

        Acks(Connection c) throws SQLException {
            p = c.prepareStatement("UPDATE l2ps_messages SET delivery = CASE WHEN via_queue THEN ? ELSE ? END "
                    + "WHERE hash_digest = ? AND message_hash = ? AND to_key = ? AND delivery = ?");
        }

        void add(String toKey, String messageHash) throws SQLException {
            p.setString(1, DeliveryState.SENT.column());
            p.setString(2, DeliveryState.DELIVERED.column());
            p.setString(3, JdbcMessageStore.messageDigest(messageHash));
            p.setString(4, messageHash);
            p.setString(5, toKey);
            p.setString(6, DeliveryState.PENDING_ACK.column());
            p.addBatch();
            batched++;
        }

        /**
         * Runs the acknowledgements added, in order.
         *
         * @return per acknowledgement, the rows it changed (0 or 1)
         */
        int[] execute() throws SQLException {
            if (batched == 0) {
                return new int[0];
            }
            batched = 0;
            int[] counts = p.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                    // Never seen on H2 or PostgreSQL for an UPDATE; refuse to guess rather than misreport an ack.
                    throw new SQLException("the database did not report the rows an acknowledgement changed");
                }
            }
            return counts;
        }

        @Override
        public void close() throws SQLException {
            p.close();
        }
    }
}
