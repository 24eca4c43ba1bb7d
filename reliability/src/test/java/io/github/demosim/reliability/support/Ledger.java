package io.github.demosim.reliability.support;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * What the receiving applications got, counted by message hash: the measure of "nothing lost, nothing
 * duplicated" that the tests assert against the hashes the senders had acknowledged.
 */
public final class Ledger {
    private final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /** The application got this message. */
    public void record(String messageHash) {
        received.computeIfAbsent(messageHash, h -> new AtomicInteger()).incrementAndGet();
        total.incrementAndGet();
    }

    /** Deliveries so far, duplicates included. */
    public int total() {
        return total.get();
    }

    /** Distinct messages so far. */
    public int distinct() {
        return received.size();
    }

    /** Whether every one of these messages arrived at least once. */
    public boolean hasAll(Collection<String> hashes) {
        return hashes.stream().allMatch(received::containsKey);
    }

    /** The sent messages that never arrived. */
    public Set<String> missing(Collection<String> sent) {
        return sent.stream().filter(h -> !received.containsKey(h)).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The messages that arrived more than once, with their counts. */
    public Map<String, Integer> duplicated() {
        return received.entrySet().stream().filter(e -> e.getValue().get() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }

    /** Messages that arrived but were never sent (corruption or mix-ups). */
    public Set<String> unexpected(Collection<String> sent) {
        Set<String> s = Set.copyOf(sent);
        return received.keySet().stream().filter(h -> !s.contains(h)).collect(Collectors.toSet());
    }

    /** Fails unless each sent message arrived exactly once and nothing else arrived. */
    public void assertExactlyOnce(Collection<String> sent) {
        Set<String> missing = missing(sent);
        Map<String, Integer> dup = duplicated();
        Set<String> extra = unexpected(sent);
        if (!missing.isEmpty() || !dup.isEmpty() || !extra.isEmpty()) {
            throw new AssertionError("sent " + sent.size() + ", received " + total() + " (" + distinct()
                    + " distinct): lost " + missing.size() + " " + sample(missing) + ", duplicated " + dup.size() + " "
                    + sample(dup.keySet()) + ", unexpected " + extra.size());
        }
    }

    private static List<String> sample(Collection<String> c) {
        return c.stream().limit(3).toList();
    }
}
