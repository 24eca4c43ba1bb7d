package io.github.demosim;

import java.time.Duration;
import java.util.Objects;

/**
 * What the recipient could establish about who wrote a message ({@code docs/envelopes.md} §5). Only
 * {@link Status#AUTHENTICATED} means the sender is who {@code from} says: the message is a signed envelope, signed
 * by that sender, for this recipient, not seen before, written at a plausible time. Everything else is the
 * server's word at best ({@link Status#UNSIGNED}), and the failures ({@link #failed()}) are evidence that someone
 * between the sender and this peer forged, redirected, replayed or stripped a message.
 *
 * @param status the outcome
 * @param detail one sentence for people: why, with the values involved
 */
public record SenderVerification(Status status, String detail) {

    /**
     * How far back an envelope's {@code timestamp} may lie: replays are recognised by id for this long, and older
     * envelopes are {@link Status#IMPLAUSIBLE_TIMESTAMP}, since a peer cannot tell them from a replay.
     */
    public static final Duration REPLAY_WINDOW = Duration.ofDays(30);
    /** How far ahead of this peer's clock an envelope's {@code timestamp} may lie (clock skew). */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    /**
     * Creates the verification.
     *
     * @param status the outcome
     * @param detail why
     */
    public SenderVerification {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * Returns whether the sender is authenticated: a valid signed envelope from {@code from} to this peer, seen once.
     *
     * @return {@code true} only for {@link Status#AUTHENTICATED}
     */
    public boolean authenticated() {
        return status == Status.AUTHENTICATED;
    }

    /**
     * Returns whether verification found tampering or an attack (every status but {@link Status#AUTHENTICATED},
     * {@link Status#UNSIGNED} and {@link Status#UNREADABLE}). Such a message is also reported to the peer's error
     * listeners ({@link ErrorCode#SENDER_VERIFICATION_FAILED}).
     *
     * @return whether it failed
     */
    public boolean failed() {
        return status.failure;
    }

    /** The outcomes, in the order the checks run ({@code docs/envelopes.md} §5). */
    public enum Status {
        /** A signed envelope that passed every check. */
        AUTHENTICATED(false),
        /**
         * Plain text, as the TypeScript SDK sends it: no envelope, so {@code from} is only the server's claim. Normal
         * for peers that do not use envelopes.
         */
        UNSIGNED(false),
        /** This peer could not decrypt the message (it has no identity, or the message is not for its key). */
        UNREADABLE(false),
        /**
         * Plain text from a sender this peer knows to sign its messages (it pinned the sender's key): the envelope
         * was stripped, or someone else wrote it in the sender's name.
         */
        DOWNGRADED(true),
        /** It claims to be an envelope but breaks a rule of the format (the detail names it). */
        MALFORMED(true),
        /** The envelope names another sender than the server does: a forged or rewritten {@code from}. */
        SENDER_MISMATCH(true),
        /** The signature does not verify: the envelope was altered or written by someone else. */
        BAD_SIGNATURE(true),
        /**
         * Signed by another key than the one this peer pinned for the sender (trust on first use); see
         * {@link KeyChangeEvent}. Legacy only: on L2PS the sender's key is its address.
         */
        KEY_CHANGED(true),
        /** Signed for someone else: a message forwarded or re-routed to this peer. */
        WRONG_RECIPIENT(true),
        /** Written further back than {@link #REPLAY_WINDOW} or further ahead than {@link #CLOCK_SKEW}. */
        IMPLAUSIBLE_TIMESTAMP(true),
        /** This envelope was accepted before: a replay. */
        REPLAYED(true);

        private final boolean failure;

        Status(boolean failure) {
            this.failure = failure;
        }
    }
}
