package io.github.demosim.server.internal.l2ps;

import io.github.demosim.server.internal.ServerConfig;
import java.util.List;

/**
 * Every way the L2PS protocol differs between reference mode (the node's behaviour, bugs included: l2ps.md §12)
 * and hardened mode (docs/server.md "Hardened mode"), in one place. The handlers ask these questions and hold no
 * mode branches of their own. One part takes the mode as a flag: {@link L2psDelivery} (a live {@code message}'s
 * {@code sentAt} and whether a drained message waits for its {@code ack}).
 */
enum L2psRules {
    /** The reference node's behaviour. */
    REFERENCE,
    /** This project's fixes and extensions. */
    HARDENED;

    /** Extension names, advertised in {@code registered.features} (hardened mode only). */
    private static final List<String> FEATURES = List.of(L2psProtocol.FEATURE_ACK,
            L2psProtocol.FEATURE_MESSAGE_STATUS, L2psProtocol.FEATURE_KEY_DIRECTORY, L2psProtocol.FEATURE_ENVELOPE,
            ServerChallenges.FEATURE);

    static L2psRules of(boolean hardened) {
        return hardened ? HARDENED : REFERENCE;
    }

    /** The mode as a flag, for {@link L2psDelivery}. */
    boolean hardened() {
        return this == HARDENED;
    }

    // --- the frame entry (§4.2) ---------------------------------------------------------------------------------

    /** Hardened: a connection's frames are handled one after another, so answers keep the requests' order. */
    boolean inOrder() {
        return hardened();
    }

    /** REF quirk (§4.2 step 3): the node throws outside its try block on a JSON {@code null} and answers nothing. */
    boolean answersNullFrame() {
        return hardened();
    }

    /** Hardened: direct replies and errors carry the request's {@code requestId}; the node never echoes it. */
    boolean echoesRequestId() {
        return hardened();
    }

    /**
     * Hardened: a string with an unpaired surrogate is refused. Stored as sent, it would be written as '?' (UTF-8
     * has no lone surrogates): an acknowledgement could never match.
     */
    boolean refusesLoneSurrogates() {
        return hardened();
    }

    /** Hardened: an acknowledgement of a message this connection was handed is not paced ({@link AckCredit}). */
    boolean acksAreFree() {
        return hardened();
    }

    /** The extensions {@code ack}, {@code challenge}, … exist in hardened mode only (else "Unknown type"). */
    boolean extensions() {
        return hardened();
    }

    /** What {@code registered.features} offers: none in reference mode (an empty list is not written). */
    List<String> offeredFeatures() {
        return hardened() ? FEATURES : List.of();
    }

    /** Hardened: server message ids are UUID v7, time-ordered, so the database's id indexes grow at one end. */
    boolean timeOrderedIds() {
        return hardened();
    }

    // --- register (§5.1–5.3) ------------------------------------------------------------------------------------

    /** Reference: 64 or more hex characters pass the format check (the verifier fails later); hardened: exactly 64. */
    boolean keyLengthAccepted(int length) {
        return length >= 64 && (!hardened() || length == 64);
    }

    /**
     * Hardened: a proof's key must be 64 hex characters and its signature 128; the node decodes hex leniently
     * (§5.2), so odd lengths and stray characters reach the verifier.
     */
    boolean strictProofEncoding() {
        return hardened();
    }

    /** REF (§5.1 step 3, B15): the node looks the network up before it checks the signature; hardened: after. */
    boolean networkBeforeProof() {
        return !hardened();
    }

    /** Hardened: a proof's timestamp must be within the window, and each proof is good once (no replay). */
    boolean freshProofs() {
        return hardened();
    }

    /**
     * Hardened: a new registration of a key replaces the old socket with close code 4000, and presence is kept
     * true (B4: no ghost of a previous key, B18: the old network hears {@code peer_left}, no {@code peer_joined}
     * for an unchanged binding). REF (§5.3, B3): the previous socket of the key is closed, even when it is this
     * very socket.
     */
    boolean cleanRebinding() {
        return hardened();
    }

    // --- send and delivery (§5.4, §6) ---------------------------------------------------------------------------

    /** Hardened: {@code to}, {@code messageHash}, {@code encrypted.ciphertext} and {@code .nonce} must be strings. */
    boolean stringSendMembers() {
        return hardened();
    }

    /** Hardened: a repeated send of the same message by its sender gets the original answer again. */
    boolean idempotentSend() {
        return hardened();
    }

    /** Hardened (fixes B13): a delivered {@code message} carries {@code sentAt}, the server time it was stored. */
    boolean sendsSentAt() {
        return hardened();
    }

    /**
     * Hardened: message timestamps of a conversation strictly increase ({@link ConversationClock}), so history
     * paging by {@code before} never skips one; the node uses the wall clock.
     */
    boolean conversationTime() {
        return hardened();
    }

    /**
     * Hardened (issue 16): a connection's sends are pipelined. A live send is answered {@code message_sent} once its
     * row is durable (the group commit), and the recipient's frame is written from that commit (if it fails, the
     * row goes back to the queue and redelivery covers it; B6 (3)); many sends of one connection are in the server
     * at once, their replies kept in request order by the session's {@link ReplySequencer}. The node answers each
     * send after its own database work, before it reads on in effect (reference mode: answered on the handling
     * thread).
     */
    boolean pipelinesSends() {
        return hardened();
    }

    // --- history and status (§7) --------------------------------------------------------------------------------

    /** The largest history {@code limit} honoured: 200 hardened, the node none (PostgreSQL's int range). */
    long historyCap() {
        return hardened() ? ServerConfig.HARDENED_MAX_HISTORY_LIMIT : Integer.MAX_VALUE - 1;
    }

    /**
     * Answers a bad {@code before}/{@code limit}: REF, PostgreSQL rejects the value (INTERNAL_ERROR "Internal
     * server error"); hardened, a clear INVALID_MESSAGE.
     */
    void refuseParameter(L2psRequest r, String hardenedText) {
        if (hardened()) {
            r.error("INVALID_MESSAGE", hardenedText);
        } else {
            r.error("INTERNAL_ERROR", "Internal server error");
        }
    }

    /** Hardened: pipeline changes are pushed as {@code message_status} to senders that asked for them. */
    boolean pushesStatus() {
        return hardened();
    }

    // --- presence (§8) ------------------------------------------------------------------------------------------

    /** Hardened: {@code request_public_key} answers with the ML-KEM key directory to clients that asked for it. */
    boolean keyDirectory() {
        return hardened();
    }

    /** Hardened: a closing socket takes every key it registered with it (the node leaves ghosts: B4). */
    boolean removesGhosts() {
        return hardened();
    }
}
