package io.github.demosim.server.internal.legacy;

import io.github.demosim.frame.JsonValue;
import io.github.demosim.server.internal.net.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hardened extension (docs/server.md, docs/envelopes.md §6): the client extensions a legacy client announced in
 * {@code register.features}, which the server tells whoever looks up its key ({@code public_key_response.features}),
 * so that a sender knows the target reads signed envelopes. Per connection, since a key lookup only ever answers for
 * online clients (legacy-and-crypto.md §A.6); forgotten when the connection closes, so bounded by open connections.
 * The reference ignores the member; clients that do not send it see no difference.
 */
final class LegacyClientFeatures {
    /** The client reads signed envelopes. */
    static final String ENVELOPE = "envelope";
    private static final List<String> KNOWN = List.of(ENVELOPE);

    private final Map<Connection, List<String>> byConnection = new ConcurrentHashMap<>();

    /** The known extensions a {@code register.features} member announces (unknown names are ignored). */
    static List<String> announced(JsonValue requested) {
        List<String> features = new ArrayList<>();
        if (requested instanceof JsonValue.JsonArray a) {
            for (JsonValue v : a.elements()) {
                v.asString().filter(KNOWN::contains).filter(f -> !features.contains(f)).ifPresent(features::add);
            }
        }
        return features;
    }

    /** Records what a client that just registered on {@code c} announced (unknown names are ignored). */
    void registered(Connection c, JsonValue requested) {
        List<String> features = announced(requested);
        if (features.isEmpty()) {
            byConnection.remove(c);
        } else {
            byConnection.put(c, List.copyOf(features));
            if (!c.isOpen()) {
                byConnection.remove(c); // closed meanwhile: its close handler may have run before the put
            }
        }
    }

    /** What the client on {@code c} announced; empty if nothing, or if it never registered. */
    List<String> of(Connection c) {
        return byConnection.getOrDefault(c, List.of());
    }

    void closed(Connection c) {
        byConnection.remove(c);
    }
}
