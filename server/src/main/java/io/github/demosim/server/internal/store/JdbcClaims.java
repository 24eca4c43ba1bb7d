package io.github.demosim.server.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Reading L2PS rows that a cluster notice named, and claiming queued ones for one delivery (docs/cluster.md):
 * the claim is a conditional update, so of two nodes (or a node's drain and its notice handler) only one moves a
 * row out of {@code queued}, and only that one writes its frame.
 */
final class JdbcClaims {
    private static final Comparator<L2psMessageRow> ROW_ORDER = Comparator.comparingLong(L2psMessageRow::timestamp);

    private final JdbcMessageStore store;

    JdbcClaims(JdbcMessageStore store) {
        this.store = store;
    }

    List<L2psMessageRow> rows(Collection<String> ids) {
        List<L2psMessageRow> out = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            out.addAll(store.query("read messages by id", c -> {
                try (PreparedStatement p = c.prepareStatement(JdbcMessageStore.MESSAGES_WITH_BODIES + "WHERE m.id IN ("
                        + Sql.placeholders(chunk.size()) + ") ORDER BY m.sent_at, m.seq")) {
                    bind(p, 1, chunk);
                    return Sql.readMessages(p);
                }
            }));
        }
        out.sort(ROW_ORDER); // stable: within one timestamp, chunks keep their seq order
        return out;
    }

    List<L2psMessageRow> claimQueued(String toKey, Collection<String> ids, DeliveryState state) {
        List<String> claimed = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(ids)) {
            claimed.addAll(store.transaction("claim queued messages", c -> {
                List<String> mine = new ArrayList<>();
                // FOR UPDATE: a concurrent claimer waits, then sees the row moved on and skips it
                try (PreparedStatement p = c.prepareStatement("SELECT id FROM l2ps_messages WHERE id IN ("
                        + Sql.placeholders(chunk.size()) + ") AND delivery = ? AND to_key = ? FOR UPDATE")) {
                    int i = bind(p, 1, chunk);
                    p.setString(i++, DeliveryState.QUEUED.column());
                    p.setString(i, toKey);
                    try (ResultSet r = p.executeQuery()) {
                        while (r.next()) {
                            mine.add(r.getString(1));
                        }
                    }
                }
                if (!mine.isEmpty()) {
                    try (PreparedStatement p = c.prepareStatement("UPDATE l2ps_messages SET delivery = ? WHERE id IN ("
                            + Sql.placeholders(mine.size()) + ") AND delivery = ?")) {
                        p.setString(1, state.column());
                        int i = bind(p, 2, mine);
                        p.setString(i, DeliveryState.QUEUED.column());
                        p.executeUpdate();
                    }
                }
                return mine;
            }));
        }
        return claimed.isEmpty() ? List.of() : rows(claimed);
    }

    private static int bind(PreparedStatement p, int from, List<String> ids) throws java.sql.SQLException {
        int i = from;
        for (String id : ids) {
            p.setString(i++, id);
        }
        return i;
    }
}
