package io.github.demosim.server.internal.net;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open connections of a host, for pings and shutdown. */
final class ConnectionSet {
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    void add(Connection c) {
        open.add(c);
    }

    void remove(Connection c) {
        open.remove(c);
    }

    int size() {
        return open.size();
    }

    List<Connection> snapshot() {
        return List.copyOf(open);
    }
}
