package io.github.demosim.internal.envelope;

import io.github.demosim.Bytes;
import io.github.demosim.KeyRole;
import io.github.demosim.TrustStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * {@link TrustStore#inMemory()}: pins in a map, the replay memory as a set of envelope digests with a queue ordered
 * by timestamp. Both are bounded (their contents are chosen by whoever writes to the peer); when the replay memory is
 * full it forgets the oldest envelope and raises a floor: nothing at or below the floor is accepted again, so a full
 * memory never lets a replay through. One lock; every operation is small.
 */
public final class InMemoryTrustStore implements TrustStore {
    /** Default bound of pinned keys. */
    public static final int MAX_PINS = 4_096;
    /** Default bound of remembered envelopes. */
    public static final int MAX_ENVELOPES = 100_000;
    private static final System.Logger LOG = System.getLogger(InMemoryTrustStore.class.getName());

    private record PinKey(String peer, KeyRole role) {
    }

    private record Seen(long timestamp, Bytes digest) {
    }

    private final int maxPins;
    private final int maxEnvelopes;
    private final Map<PinKey, Bytes> pins = new HashMap<>();
    private final Map<Bytes, Long> seen = new HashMap<>();
    private final PriorityQueue<Seen> byAge = new PriorityQueue<>((a, b) -> Long.compare(a.timestamp(), b.timestamp()));
    /** Envelopes with a timestamp at or below this were forgotten for lack of room. */
    private long floor = Long.MIN_VALUE;
    private boolean warnedFull;

    /**
     * @param maxPins at most this many pinned keys
     * @param maxEnvelopes at most this many remembered envelopes
     */
    public InMemoryTrustStore(int maxPins, int maxEnvelopes) {
        if (maxPins < 1 || maxEnvelopes < 1) {
            throw new IllegalArgumentException("bounds must be positive");
        }
        this.maxPins = maxPins;
        this.maxEnvelopes = maxEnvelopes;
    }

    @Override
    public synchronized Optional<Bytes> pinnedKey(String peer, KeyRole role) {
        return Optional.ofNullable(pins.get(new PinKey(Objects.requireNonNull(peer, "peer"),
                Objects.requireNonNull(role, "role"))));
    }

    @Override
    public synchronized Bytes pinIfAbsent(String peer, KeyRole role, Bytes key) {
        Objects.requireNonNull(key, "key");
        PinKey k = new PinKey(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(role, "role"));
        Bytes pinned = pins.get(k);
        if (pinned != null) {
            return pinned;
        }
        if (pins.size() >= maxPins) {
            if (!warnedFull) {
                warnedFull = true;
                LOG.log(System.Logger.Level.WARNING, "The in-memory trust store holds " + maxPins + " pinned keys; "
                        + "keys of further peers are not remembered. Give the peer a TrustStore of your own");
            }
            return key;
        }
        pins.put(k, key);
        return key;
    }

    @Override
    public synchronized void pin(String peer, KeyRole role, Bytes key) {
        Objects.requireNonNull(key, "key");
        PinKey k = new PinKey(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(role, "role"));
        if (pins.containsKey(k) || pins.size() < maxPins) {
            pins.put(k, key);
        } else {
            throw new IllegalStateException("The in-memory trust store is full (" + maxPins + " pinned keys)");
        }
    }

    @Override
    public synchronized void forget(String peer, KeyRole role) {
        pins.remove(new PinKey(Objects.requireNonNull(peer, "peer"), Objects.requireNonNull(role, "role")));
    }

    @Override
    public synchronized boolean recordEnvelope(String peer, String envelopeId, Instant timestamp,
            Instant forgetBefore) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(envelopeId, "envelopeId");
        long ts = timestamp.toEpochMilli();
        long start = forgetBefore.toEpochMilli();
        while (!byAge.isEmpty() && byAge.peek().timestamp() < start) {
            seen.remove(byAge.poll().digest());
        }
        if (ts <= floor) {
            return false;
        }
        Bytes digest = digest(peer, envelopeId);
        if (seen.containsKey(digest)) {
            return false;
        }
        if (seen.size() >= maxEnvelopes) {
            Seen oldest = byAge.poll();
            seen.remove(oldest.digest());
            floor = Math.max(floor, oldest.timestamp());
            if (ts <= floor) {
                return false;
            }
        }
        seen.put(digest, ts);
        byAge.add(new Seen(ts, digest));
        return true;
    }

    /** 32 bytes per envelope, whatever the length of the names. */
    private static Bytes digest(String peer, String envelopeId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(peer.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(envelopeId.getBytes(StandardCharsets.UTF_8));
            return Bytes.of(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
