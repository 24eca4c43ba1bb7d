package io.github.demosim.server.internal.l2ps;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message hashes whose sends are between their duplicate check and their durable write. A row joins a group
 * commit some time after its send was checked, so the database alone cannot tell a second send with the same
 * hash that the first one exists: the second goes on once the first's write is done (no thread waits for it),
 * then checks the store.
 */
final class InFlightHashes {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

    /**
     * Reserves a hash once no other send holds it (its write is at most one group commit away).
     *
     * @param hash the message hash
     * @return completes with the reservation, for {@link #done}: at once unless another send holds the hash, else
     *     on the thread that ends that send's reservation
     */
    CompletableFuture<CompletableFuture<Void>> reserve(String hash) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other = writing.putIfAbsent(hash, mine);
        if (other == null) {
            return CompletableFuture.completedFuture(mine);
        }
        return other.thenCompose(ignored -> reserve(hash)); // never completed exceptionally (see done)
    }

    /**
     * Ends a reservation: the row is durable, or was never written.
     *
     * @param hash the message hash
     * @param reservation what {@link #reserve} gave
     */
    void done(String hash, CompletableFuture<Void> reservation) {
        writing.remove(hash, reservation);
        reservation.complete(null);
    }
}
