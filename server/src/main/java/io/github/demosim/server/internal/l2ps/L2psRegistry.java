package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.net.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is online: the reference's global map {@code publicKey -> {publicKey, l2psUid, socket, connectedAt}},
 * in insertion order (a re-registered key keeps its position, as in a JavaScript {@code Map}).
 */
final class L2psRegistry {

    /** One registration. */
    record Entry(String publicKey, String l2psUid, Connection connection, long connectedAt, Set<String> features) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    synchronized int size() {
        return entries.size();
    }

    synchronized Entry get(String publicKey) {
        return entries.get(publicKey);
    }

    synchronized Entry put(Entry entry) {
        return entries.put(entry.publicKey(), entry);
    }

    /** Removes the key if it still belongs to this connection; returns whether it did. */
    synchronized boolean removeIfConnection(String publicKey, Connection connection) {
        Entry e = entries.get(publicKey);
        if (e != null && e.connection() == connection) {
            entries.remove(publicKey);
            return true;
        }
        return false;
    }

    /** Removes and returns every entry bound to a connection (hardened clean-up of ghosts). */
    synchronized List<Entry> removeAll(Connection connection) {
        List<Entry> removed = new ArrayList<>();
        entries.values().removeIf(e -> {
            if (e.connection() == connection) {
                removed.add(e);
                return true;
            }
            return false;
        });
        return removed;
    }

    synchronized List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    synchronized List<Entry> inNetwork(String l2psUid) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.l2psUid().equals(l2psUid)) {
                out.add(e);
            }
        }
        return out;
    }

    synchronized void clear() {
        entries.clear();
    }
}
