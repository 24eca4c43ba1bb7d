package io.github.demosim.internal.peer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is online, as idempotent set operations ({@code l2ps.md} §8, checklist item 35): a repeated join or a
 * leave of an unknown peer changes nothing and so produces no event. Confined to the control thread.
 */
public final class Presence {
    private final Set<String> online = new LinkedHashSet<>();

    /** What a re-synchronisation changed. */
    public record Diff(List<String> joined, List<String> left) {
    }

    /** Adds a peer; returns whether it was new. */
    public boolean join(String peer) {
        return online.add(peer);
    }

    /** Removes a peer; returns whether it was known. */
    public boolean leave(String peer) {
        return online.remove(peer);
    }

    /** Replaces the whole set (after a reconnect, from {@code discover}) and returns what changed. */
    public Diff replace(Collection<String> now) {
        Set<String> next = new LinkedHashSet<>(now);
        List<String> left = new ArrayList<>();
        for (String p : online) {
            if (!next.contains(p)) {
                left.add(p);
            }
        }
        List<String> joined = new ArrayList<>();
        for (String p : next) {
            if (!online.contains(p)) {
                joined.add(p);
            }
        }
        online.clear();
        online.addAll(next);
        return new Diff(List.copyOf(joined), List.copyOf(left));
    }

    /** Forgets everyone, without events (the peer closed or gave up). */
    public void clear() {
        online.clear();
    }

    /** A copy of the set, in join order. */
    public Set<String> snapshot() {
        return Set.copyOf(online);
    }
}
