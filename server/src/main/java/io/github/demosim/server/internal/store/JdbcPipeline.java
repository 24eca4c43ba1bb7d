package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** The store's statements of the simulated L2PS pipeline (batches and their messages' pipeline states). */
final class JdbcPipeline {
    private final JdbcMessageStore store;

    JdbcPipeline(JdbcMessageStore store) {
        this.store = store;
    }

    List<String> networksWithPendingTransactions() {
        return store.query("find pending networks", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT DISTINCT l2ps_uid FROM l2ps_messages "
                    + "WHERE pipeline = ? AND l2ps_tx_hash IS NOT NULL ORDER BY l2ps_uid")) {
                p.setString(1, PipelineState.PENDING.column());
                List<String> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
                return out;
            }
        });
    }

    List<L2psMessageRow> pendingTransactions(String l2psUid, int max) {
        return store.query("load pending transactions", c -> {
            // ORDER BY the whole index (pipeline, l2ps_uid, seq), not just seq: the first two are fixed by the WHERE,
            // so the order is the same, but only then does H2 walk the index in order and stop after LIMIT rows;
            // ORDER BY seq alone reads and sorts every pending row, on every call (quadratic under a backlog).
            try (PreparedStatement p = c.prepareStatement(JdbcMessageStore.MESSAGES
                    + "WHERE m.pipeline = ? AND m.l2ps_uid = ? AND m.l2ps_tx_hash IS NOT NULL "
                    + "ORDER BY m.pipeline, m.l2ps_uid, m.seq LIMIT ?")) {
                p.setString(1, PipelineState.PENDING.column());
                p.setString(2, l2psUid);
                p.setInt(3, max);
                return Sql.readMessages(p);
            }
        });
    }

    void recordRound(List<PipelineRound> batches) {
        store.transaction("record pipeline round", c -> {
            for (PipelineRound b : batches) {
                if (b.accepted()) {
                    recordBatch(c, b.batch(), b.ids());
                } else {
                    failTransactions(c, b.ids(), b.failure());
                }
            }
            return null;
        });
    }

    private static void recordBatch(Connection c, BatchRow batch, Collection<String> ids) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO l2ps_batches (batch_hash, l2ps_uid, tx_count, "
                + "tx_hashes, status, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setString(1, batch.batchHash());
            p.setString(2, batch.l2psUid());
            p.setInt(3, batch.txHashes().size());
            p.setString(4, String.join(",", batch.txHashes()));
            p.setString(5, PipelineState.BATCHED.column());
            p.setLong(6, batch.createdAt());
            p.executeUpdate();
        }
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET pipeline = ?, batch_hash = ? "
                    + "WHERE pipeline = ? AND id IN (" + Sql.placeholders(chunk.size()) + ")")) {
                p.setString(1, PipelineState.BATCHED.column());
                p.setString(2, batch.batchHash());
                p.setString(3, PipelineState.PENDING.column());
                for (int i = 0; i < chunk.size(); i++) {
                    p.setString(i + 4, chunk.get(i));
                }
                p.executeUpdate();
            }
        }
    }

    private static void failTransactions(Connection c, Collection<String> ids, String reason) throws SQLException {
        for (List<String> chunk : Sql.chunks(ids)) {
            try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET pipeline = ?, failure_reason = ? "
                    + "WHERE id IN (" + Sql.placeholders(chunk.size()) + ")")) {
                p.setString(1, PipelineState.FAILED.column());
                Sql.setNullable(p, 2, reason);
                for (int i = 0; i < chunk.size(); i++) {
                    p.setString(i + 3, chunk.get(i));
                }
                p.executeUpdate();
            }
        }
    }

    List<BatchRow> batchesSubmittedBefore(long cutoff, int max) {
        return store.query("load batches", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT batch_hash, l2ps_uid, tx_hashes, created_at "
                    + "FROM l2ps_batches WHERE status = ? AND created_at <= ? ORDER BY created_at, batch_hash "
                    + "LIMIT ?")) {
                p.setString(1, PipelineState.BATCHED.column());
                p.setLong(2, cutoff);
                p.setInt(3, max);
                List<BatchRow> out = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        String hashes = r.getString(3);
                        out.add(new BatchRow(r.getString(1), r.getString(2),
                                hashes.isEmpty() ? List.of() : Arrays.asList(hashes.split(",")), r.getLong(4)));
                    }
                }
                return out;
            }
        });
    }

    List<L2psMessageRow> confirmBatches(List<String> batchHashes, long now) {
        return store.transaction("confirm batches", c -> {
            List<L2psMessageRow> out = new ArrayList<>();
            for (String hash : batchHashes) {
                out.addAll(confirmBatch(c, hash, now));
            }
            return out;
        });
    }

    private static List<L2psMessageRow> confirmBatch(Connection c, String batchHash, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE l2ps_batches SET status = ?, confirmed_at = ? WHERE batch_hash = ? AND status = ?")) {
            p.setString(1, PipelineState.CONFIRMED.column());
            p.setLong(2, now);
            p.setString(3, batchHash);
            p.setString(4, PipelineState.BATCHED.column());
            if (p.executeUpdate() == 0) {
                return List.of();
            }
        }
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE l2ps_messages SET pipeline = ? WHERE batch_hash = ? AND pipeline = ?")) {
            p.setString(1, PipelineState.CONFIRMED.column());
            p.setString(2, batchHash);
            p.setString(3, PipelineState.BATCHED.column());
            p.executeUpdate();
        }
        try (PreparedStatement p = c.prepareStatement(JdbcMessageStore.MESSAGES
                + "WHERE m.batch_hash = ? ORDER BY m.seq")) {
            p.setString(1, batchHash);
            return Sql.readMessages(p);
        }
    }
}
