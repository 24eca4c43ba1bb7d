package io.github.demosim.server;

/**
 * How closely the server imitates the reference node. Both modes speak the same protocols; every difference
 * is listed in {@code docs/server.md}.
 */
public enum ServerMode {
    /**
     * The reference node's observable behaviour, bugs included: no {@code requestId} echo, no proof freshness
     * check, the L2PS network looked up before the proof is checked, takeover and ghost-registration
     * semantics, concurrent handling of one connection's frames, exact error texts. Use it to prove that a
     * client works against the node as it is.
     */
    REFERENCE,
    /**
     * Accepted by every reference client, plus: {@code requestId} echoed on replies and errors, proof
     * timestamps accepted only within a window and only once, one connection's frames handled in order,
     * idempotent sends, floods paced (read more slowly, never refused), strictly increasing timestamps per conversation,
     * the protocol extensions ({@code ack}, {@code message_status}, the ML-KEM key directory) for clients that
     * ask for them, and the legacy registration proof bound to the registered key. The default.
     */
    HARDENED
}
