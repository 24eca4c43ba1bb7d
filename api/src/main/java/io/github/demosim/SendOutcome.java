package io.github.demosim;

/** What the L2PS server did with a sent message ({@code l2ps.md} §5.4 step 5). */
public enum SendOutcome {
    /** The recipient was online in the sender's network and got the message ({@code message_sent}). */
    DELIVERED,
    /**
     * The recipient was offline (or in another network); the server stored the message and delivers it when
     * the recipient registers ({@code message_queued}).
     */
    QUEUED
}
