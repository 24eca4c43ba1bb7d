package io.github.demosim;

import io.github.demosim.internal.envelope.InMemoryTrustStore;
import java.time.Instant;
import java.util.Optional;

/**
 * What a peer remembers about the peers that write to it, so that it can judge what they send
 * ({@code docs/envelopes.md} §6): the keys first seen for each of them (trust on first use, TOFU) and the envelopes
 * it already accepted (the replay memory). Give it to the peer's builder ({@code trustStore(...)}); the default,
 * {@link #inMemory()}, forgets everything when the peer is closed. Implement it over your own storage to keep both
 * across restarts: a peer that forgot a key accepts a new one as a first use, and one that forgot an envelope
 * accepts it again if it is replayed within {@link SenderVerification#REPLAY_WINDOW}.
 *
 * <p>One store holds one namespace of peer names: give each peer (each server and protocol) its own, since a legacy
 * client id could look like an L2PS key. Implementations must be thread-safe; peers call them on their event thread,
 * never on a network thread.
 */
public interface TrustStore {

    /**
     * Returns the key pinned for a peer.
     *
     * @param peer the peer's name: its key (L2PS) or client id (legacy)
     * @param role what the key is for
     * @return the pinned key, or empty if none
     */
    Optional<Bytes> pinnedKey(String peer, KeyRole role);

    /**
     * Pins {@code key} unless a key is pinned already, atomically.
     *
     * @param peer the peer's name
     * @param role what the key is for
     * @param key the key presented
     * @return the key pinned after the call: {@code key}, or the one pinned before
     */
    Bytes pinIfAbsent(String peer, KeyRole role, Bytes key);

    /**
     * Pins {@code key}, replacing any: how an application trusts a changed key after checking it out of band, or
     * pins a key learned out of band before the first message (then a first message signed by another key is
     * {@link SenderVerification.Status#KEY_CHANGED}, and messages to that peer are sent as signed envelopes).
     *
     * @param peer the peer's name
     * @param role what the key is for
     * @param key the key
     */
    void pin(String peer, KeyRole role, Bytes key);

    /**
     * Forgets the key pinned for a peer, e.g. when it moved to a client that does not sign: its plain messages are
     * then {@link SenderVerification.Status#UNSIGNED} again, not {@link SenderVerification.Status#DOWNGRADED}.
     *
     * @param peer the peer's name
     * @param role what the key is for
     */
    void forget(String peer, KeyRole role);

    /**
     * Records that an envelope was accepted, unless it was before: the replay check.
     *
     * @param peer the sender's name
     * @param envelopeId the envelope's id
     * @param timestamp the envelope's timestamp
     * @param forgetBefore the start of the replay window: the store may forget envelopes with an older timestamp,
     *     since the peer refuses those anyway
     * @return {@code true} if it is recorded now; {@code false} if it was recorded before (a replay), or if the store
     *     can no longer tell (an envelope older than what a bounded store still remembers)
     */
    boolean recordEnvelope(String peer, String envelopeId, Instant timestamp, Instant forgetBefore);

    /**
     * Returns a store in memory, bounded because what it holds is chosen by others: at most 4,096 pinned keys (when
     * full, keys of new peers are not remembered, with one warning in the log, rather than forgetting a pinned key,
     * which would let a flood of new names reopen trust on first use for a known peer) and at most 100,000 envelopes
     * (when full, the oldest is forgotten and anything not newer than it is refused as a possible replay). About
     * 30 MB at the very worst (4,096 legacy peers with 1,024-character ids); typical use is far less.
     *
     * @return a new empty store
     */
    static TrustStore inMemory() {
        return new InMemoryTrustStore(InMemoryTrustStore.MAX_PINS, InMemoryTrustStore.MAX_ENVELOPES);
    }
}
