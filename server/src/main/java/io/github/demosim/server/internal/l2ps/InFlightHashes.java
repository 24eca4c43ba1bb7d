package io.github.demosim.server.internal.l2ps;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message hashes whose sends are between their duplicate check and their durable write. A row joins a group
 * commit some time after its send was checked, so the database alone cannot tell a second send with the same
 * hash that the first one exists: the second waits here for the first's write, then checks the store.
 */
final class InFlightHashes {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

    /**
     * Reserves a hash, after waiting for any send that holds it (its write is at most one group commit away).
     *
     * @param hash the message hash
     * @return the reservation, for {@link #done}
     */
    CompletableFuture<Void> reserve(String hash) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        for (CompletableFuture<Void> other = writing.putIfAbsent(hash, mine); other != null;
                other = writing.putIfAbsent(hash, mine)) {
            try {
                other.join();
            } catch (CompletionException e) {
                // never completed exceptionally; nothing to do either way
            }
        }
        return mine;
    }

    /**
     * Ends a reservation: the row is durable, or was never written.
     *
     * @param hash the message hash
     * @param reservation what {@link #reserve} returned
     */
    void done(String hash, CompletableFuture<Void> reservation) {
        writing.remove(hash, reservation);
        reservation.complete(null);
    }
}
