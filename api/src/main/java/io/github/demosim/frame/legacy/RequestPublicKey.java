package io.github.demosim.frame.legacy;

/**
 * Client to server: ask for an online client's ML-KEM-768 public key.
 *
 * @param targetId the client id
 */
public record RequestPublicKey(
        String targetId) implements LegacyClientFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "request_public_key";

    @Override
    public String type() {
        return TYPE;
    }
}
