package io.github.demosim.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline queues of both protocols and L2PS history: the reads that hand messages to clients, done in pages
 * bounded in rows and bytes, and the legacy queue's writes. Each page is read in two steps: first the order,
 * sizes and positions of the candidates (a few bytes each), then the bodies of as many as fit in the byte budget
 * (at least one, so a message larger than the budget still goes out, alone). No read ever loads a whole queue or
 * conversation.
 */
final class JdbcQueues {
    private static final String UNDELIVERED = "WHERE m.to_digest = ? AND m.l2ps_uid = ? AND m.delivery IN (?, ?) "
            + "AND m.to_key = ? ";
    private static final String LEGACY_PENDING = "WHERE recipient_digest = ? AND status = 'pending' "
            + "AND recipient_id = ? ";

    private final JdbcMessageStore store;

    JdbcQueues(JdbcMessageStore store) {
        this.store = store;
    }

    /** A candidate row of a page: its key, position and size. */
    private record Slot(String id, long timestamp, long sequence, int size) {
    }

    Page<L2psMessageRow> undeliveredPage(String toKey, String l2psUid, Page.Cursor after, int maxRows, long maxBytes) {
        return store.query("load the offline queue", c -> {
            List<Slot> slots;
            try (PreparedStatement p = c.prepareStatement("SELECT m.id, m.sent_at, m.seq, m.size_bytes "
                    + "FROM l2ps_messages m " + UNDELIVERED + "AND (m.sent_at > ? OR (m.sent_at = ? AND m.seq > ?)) "
                    + "ORDER BY m.sent_at, m.seq LIMIT ?")) {
                int i = bindUndelivered(p, toKey, l2psUid);
                i = bindCursor(p, i, after);
                p.setInt(i, maxRows + 1);
                slots = readSlots(p);
            }
            return page(c, slots, maxRows, maxBytes);
        });
    }

    QueueUsage undeliveredUsage(String toKey, String l2psUid) {
        return store.query("measure the offline queue", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(m.size_bytes), 0) "
                    + "FROM l2ps_messages m " + UNDELIVERED)) {
                bindUndelivered(p, toKey, l2psUid);
                return usage(p);
            }
        });
    }

    List<String> queuedIds(String toKey, String l2psUid, int maxRows) {
        return store.query("list queued messages", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT m.id FROM l2ps_messages m WHERE m.to_digest = ? "
                    + "AND m.l2ps_uid = ? AND m.delivery = ? AND m.to_key = ? ORDER BY m.sent_at, m.seq LIMIT ?")) {
                p.setString(1, JdbcMessageStore.messageDigest(toKey));
                p.setString(2, l2psUid);
                p.setString(3, DeliveryState.QUEUED.column());
                p.setString(4, toKey);
                p.setInt(5, maxRows);
                List<String> ids = new ArrayList<>();
                try (ResultSet r = p.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    int queuedFrom(String fromKey, String l2psUid) {
        return store.query("count a sender's queued messages", c -> {
            // the pair index's prefix (l2ps_uid, from_digest): no index of its own on the hot insert path
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM l2ps_messages "
                    + "WHERE l2ps_uid = ? AND from_digest = ? AND delivery = ? AND via_queue AND from_key = ?")) {
                p.setString(1, l2psUid);
                p.setString(2, JdbcMessageStore.messageDigest(fromKey));
                p.setString(3, DeliveryState.QUEUED.column());
                p.setString(4, fromKey);
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    return r.getInt(1);
                }
            }
        });
    }

    Page<L2psMessageRow> history(String l2psUid, String me, String peer, Long before, int maxRows, long maxBytes) {
        return store.query("load history", c -> {
            List<Slot> slots;
            String sql = "SELECT m.id, m.sent_at, m.seq, m.size_bytes FROM l2ps_messages m WHERE m.l2ps_uid = ? AND "
                    + "((m.from_digest = ? AND m.to_digest = ? AND m.from_key = ? AND m.to_key = ?) OR "
                    + "(m.from_digest = ? AND m.to_digest = ? AND m.from_key = ? AND m.to_key = ?))"
                    + (before == null ? "" : " AND m.sent_at < ?")
                    + " ORDER BY m.sent_at DESC, m.seq DESC LIMIT ?";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                String dm = JdbcMessageStore.messageDigest(me);
                String dp = JdbcMessageStore.messageDigest(peer);
                int i = 1;
                p.setString(i++, l2psUid);
                p.setString(i++, dm);
                p.setString(i++, dp);
                p.setString(i++, me);
                p.setString(i++, peer);
                p.setString(i++, dp);
                p.setString(i++, dm);
                p.setString(i++, peer);
                p.setString(i++, me);
                if (before != null) {
                    p.setLong(i++, before);
                }
                p.setLong(i, (long) maxRows + 1);
                slots = readSlots(p);
            }
            return page(c, slots, maxRows, maxBytes);
        });
    }

    Page<LegacyOfflineRow> pendingLegacyPage(String recipientId, Page.Cursor after, int maxRows, long maxBytes) {
        return store.query("load legacy offline messages", c -> {
            List<Slot> slots;
            try (PreparedStatement p = c.prepareStatement("SELECT id, sent_at, id, size_bytes FROM "
                    + "legacy_offline_messages " + LEGACY_PENDING + "AND (sent_at > ? OR (sent_at = ? AND id > ?)) "
                    + "ORDER BY sent_at, id LIMIT ?")) {
                p.setString(1, JdbcMessageStore.digest(recipientId));
                p.setString(2, recipientId);
                int i = bindCursor(p, 3, after);
                p.setInt(i, maxRows + 1);
                slots = readSlots(p);
            }
            List<Slot> chosen = fit(slots, maxRows, maxBytes);
            Map<Long, LegacyOfflineRow> byId = new HashMap<>();
            for (List<Slot> chunk : Sql.chunks(chosen)) {
                try (PreparedStatement p = c.prepareStatement("SELECT m.id, m.recipient_id, m.sender_id, "
                        + "m.message_hash, b.encrypted_content, m.signature, m.sent_at FROM legacy_offline_messages m "
                        + "JOIN legacy_offline_bodies b ON b.id = m.id WHERE m.id IN ("
                        + Sql.placeholders(chunk.size()) + ")")) {
                    for (int k = 0; k < chunk.size(); k++) {
                        p.setLong(k + 1, Long.parseLong(chunk.get(k).id()));
                    }
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            byId.put(r.getLong(1), new LegacyOfflineRow(r.getLong(1), r.getString(2), r.getString(3),
                                    r.getString(4), r.getString(5), r.getString(6), r.getLong(7)));
                        }
                    }
                }
            }
            List<LegacyOfflineRow> rows = new ArrayList<>(chosen.size());
            for (Slot s : chosen) {
                LegacyOfflineRow row = byId.get(Long.parseLong(s.id()));
                if (row != null) { // deleted meanwhile (its chain write failed)
                    rows.add(row);
                }
            }
            return new Page<>(rows, next(slots, chosen));
        });
    }

    QueueUsage pendingLegacyUsage(String recipientId) {
        return store.query("measure the legacy offline queue", c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) "
                    + "FROM legacy_offline_messages " + LEGACY_PENDING)) {
                p.setString(1, JdbcMessageStore.digest(recipientId));
                p.setString(2, recipientId);
                return usage(p);
            }
        });
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static int bindUndelivered(PreparedStatement p, String toKey, String l2psUid) throws SQLException {
        p.setString(1, JdbcMessageStore.messageDigest(toKey));
        p.setString(2, l2psUid);
        p.setString(3, DeliveryState.QUEUED.column());
        p.setString(4, DeliveryState.PENDING_ACK.column());
        p.setString(5, toKey);
        return 6;
    }

    private static int bindCursor(PreparedStatement p, int i, Page.Cursor after) throws SQLException {
        p.setLong(i, after.timestamp());
        p.setLong(i + 1, after.timestamp());
        p.setLong(i + 2, after.sequence());
        return i + 3;
    }

    private static List<Slot> readSlots(PreparedStatement p) throws SQLException {
        List<Slot> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new Slot(r.getString(1), r.getLong(2), r.getLong(3), r.getInt(4)));
            }
        }
        return out;
    }

    private static QueueUsage usage(PreparedStatement p) throws SQLException {
        try (ResultSet r = p.executeQuery()) {
            r.next();
            return new QueueUsage(r.getInt(1), r.getLong(2));
        }
    }

    /** The leading slots that fit: at most {@code maxRows}, within {@code maxBytes} except for the first. */
    private static List<Slot> fit(List<Slot> slots, int maxRows, long maxBytes) {
        List<Slot> chosen = new ArrayList<>();
        long bytes = 0;
        for (Slot s : slots) {
            if (chosen.size() >= maxRows || (!chosen.isEmpty() && bytes + s.size() > maxBytes)) {
                break;
            }
            chosen.add(s);
            bytes += s.size();
        }
        return chosen;
    }

    private static Page.Cursor next(List<Slot> slots, List<Slot> chosen) {
        if (chosen.size() == slots.size()) {
            return null;
        }
        if (chosen.isEmpty()) {
            return Page.Cursor.START; // a page of 0 rows, with rows after it
        }
        Slot last = chosen.get(chosen.size() - 1);
        return new Page.Cursor(last.timestamp(), last.sequence());
    }

    /** Loads the messages (with bodies) of the slots that fit, in the slots' order. */
    private Page<L2psMessageRow> page(Connection c, List<Slot> slots, int maxRows, long maxBytes)
            throws SQLException {
        List<Slot> chosen = fit(slots, maxRows, maxBytes);
        Map<String, L2psMessageRow> byId = new HashMap<>();
        for (List<Slot> chunk : Sql.chunks(chosen)) {
            try (PreparedStatement p = c.prepareStatement(JdbcMessageStore.MESSAGES_WITH_BODIES + "WHERE m.id IN ("
                    + Sql.placeholders(chunk.size()) + ")")) {
                for (int k = 0; k < chunk.size(); k++) {
                    p.setString(k + 1, chunk.get(k).id());
                }
                for (L2psMessageRow row : Sql.readMessages(p)) {
                    byId.put(row.id(), row);
                }
            }
        }
        List<L2psMessageRow> rows = new ArrayList<>(chosen.size());
        for (Slot s : chosen) {
            L2psMessageRow row = byId.get(s.id());
            if (row != null) {
                rows.add(row);
            }
        }
        return new Page<>(rows, next(slots, chosen));
    }

    // --- legacy offline writes ------------------------------------------------------------------------

    LegacyOfflineRow insertLegacyOffline(LegacyOfflineRow row) {
        return store.transaction("store offline message", c -> {
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO legacy_offline_messages (recipient_id, "
                    + "recipient_digest, sender_id, message_hash, size_bytes, signature, sent_at, status) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')", Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, row.recipientId());
                p.setString(2, JdbcMessageStore.digest(row.recipientId()));
                p.setString(3, row.senderId());
                p.setString(4, row.messageHash());
                p.setInt(5, Utf8.size(row.recipientId(), row.senderId(), row.contentJson()));
                p.setString(6, row.signature());
                p.setLong(7, row.timestamp());
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO legacy_offline_bodies (id, encrypted_content) VALUES (?, ?)")) {
                p.setLong(1, id);
                p.setString(2, row.contentJson());
                p.executeUpdate();
            }
            return new LegacyOfflineRow(id, row.recipientId(), row.senderId(), row.messageHash(), row.contentJson(),
                    row.signature(), row.timestamp());
        });
    }

    void deleteLegacyOffline(long id) {
        store.transaction("delete offline message", c -> {
            for (String table : List.of("legacy_offline_bodies", "legacy_offline_messages")) {
                try (PreparedStatement p = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
                    p.setLong(1, id);
                    p.executeUpdate();
                }
            }
            return null;
        });
    }

    void markLegacySent(Collection<Long> ids) {
        for (List<Long> chunk : Sql.chunks(ids)) {
            store.update("mark offline messages sent", c -> {
                try (PreparedStatement p = c.prepareStatement("UPDATE legacy_offline_messages SET status = 'sent' "
                        + "WHERE id IN (" + Sql.placeholders(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        p.setLong(i + 1, chunk.get(i));
                    }
                    return p.executeUpdate();
                }
            });
        }
    }
}
