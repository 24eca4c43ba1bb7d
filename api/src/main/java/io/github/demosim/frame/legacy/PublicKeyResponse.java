package io.github.demosim.frame.legacy;

import io.github.demosim.frame.JsonValue;

/**
 * Server to client: the registered public key of an online client, echoed as registered.
 *
 * @param peerId the id asked about
 * @param publicKey the key exactly as it was registered (normally an array of 1184 numbers)
 */
public record PublicKeyResponse(
        String peerId,
        JsonValue publicKey) implements LegacyServerFrame {

    /** The wire type, {@value}. */
    public static final String TYPE = "public_key_response";

    @Override
    public String type() {
        return TYPE;
    }
}
