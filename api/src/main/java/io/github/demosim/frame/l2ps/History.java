package io.github.demosim.frame.l2ps;

/**
 * Client to server: fetch a page of the conversation with one peer, newest first ({@code l2ps.md} §7.1). The proof is the hex Ed25519 signature of {@code history:<peerKey>:<timestamp>}.
 *
 * @param peerKey the other party's public key
 * @param proof hex signature of the proof string
 * @param before only messages with a server timestamp strictly below this, or {@code null}
 * @param limit the page size, or {@code null} for the server default (50)
 * @param timestamp the envelope {@code timestamp} in ms since the epoch, or {@code null} if absent
 * @param requestId the correlation id, or {@code null}; the reference server never echoes it, this project's hardened server does
 */
public record History(
        String peerKey,
        String proof,
        Long before,
        Integer limit,
        Long timestamp,
        String requestId) implements L2psClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "history";

    @Override
    public String type() {
        return TYPE;
    }
}
