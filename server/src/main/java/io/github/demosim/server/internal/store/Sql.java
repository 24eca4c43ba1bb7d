package io.github.demosim.server.internal.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.Collection;
import java.util.List;

/** Small JDBC helpers of the store. */
final class Sql {
    private static final int IN_CHUNK = 500;

    private Sql() {
    }

    static List<L2psMessageRow> readMessages(PreparedStatement p) throws SQLException {
        List<L2psMessageRow> out = new ArrayList<>();
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
                out.add(new L2psMessageRow(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getString(5), r.getString(6), r.getString(7), r.getLong(8),
                        DeliveryState.fromColumn(r.getString(9)), r.getBoolean(10),
                        PipelineState.fromColumn(r.getString(11)), r.getString(12), r.getString(13)));
            }
        }
        return out;
    }

    static void setNullable(PreparedStatement p, int index, String value) throws SQLException {
        if (value == null) {
            p.setNull(index, Types.VARCHAR);
        } else {
            p.setString(index, value);
        }
    }

    /** Whether a failure, or one it chains (causes, and a JDBC batch's next exceptions), has one of the states. */
    static boolean anyState(SQLException e, String... states) {
        Set<String> wanted = Set.of(states);
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(e));
        while (!todo.isEmpty()) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException s) {
                if (s.getSQLState() != null && wanted.contains(s.getSQLState())) {
                    return true;
                }
                if (s.getNextException() != null) {
                    todo.add(s.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
        }
        return false;
    }

    static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    static <T> List<List<T>> chunks(Collection<T> ids) {
        List<T> list = new ArrayList<>(ids);
        List<List<T>> out = new ArrayList<>();
        for (int from = 0; from < list.size(); from += IN_CHUNK) {
            out.add(list.subList(from, Math.min(list.size(), from + IN_CHUNK)));
        }
        return out;
    }
}
