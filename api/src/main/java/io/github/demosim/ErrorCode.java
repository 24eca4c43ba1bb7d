package io.github.demosim;

/**
 * Stable diagnostic codes of the SDK's own exceptions.
 *
 * <p>Every {@link ImException} carries one; its message ends with the code in brackets, for example
 * {@code [IM-PROVIDER-001]}, and {@code docs/errors.md} explains each code with its cause and fix. These are
 * not the error codes a server sends; those arrive as {@link ServerErrorException#serverCode()}.
 */
public enum ErrorCode {
    /** No provider of a service-provider interface is on the module path or class path. */
    PROVIDER_NOT_FOUND("IM-PROVIDER-001"),
    /** Several providers of one SPI are present and none was chosen. */
    PROVIDER_AMBIGUOUS("IM-PROVIDER-002"),
    /** A provider was chosen by a name that no present provider has. */
    PROVIDER_UNKNOWN("IM-PROVIDER-003"),
    /** A provider is present but could not be instantiated. */
    PROVIDER_BROKEN("IM-PROVIDER-004"),
    /** Text to decode is not JSON. */
    CODEC_MALFORMED_JSON("IM-CODEC-001"),
    /** JSON that is not a valid frame: a missing or ill-typed field. */
    CODEC_INVALID_FRAME("IM-CODEC-002"),
    /** A frame whose {@code type} the protocol does not define. */
    CODEC_UNKNOWN_TYPE("IM-CODEC-003"),
    /** A value could not be encoded. */
    CODEC_ENCODE_FAILED("IM-CODEC-004"),
    /** A ciphertext did not authenticate or decrypt. */
    CRYPTO_DECRYPT_FAILED("IM-CRYPTO-001"),
    /** A key, seed, signature or ciphertext has the wrong length or form. */
    CRYPTO_INVALID_INPUT("IM-CRYPTO-002"),
    /** A cryptographic operation failed inside the provider. */
    CRYPTO_PROVIDER_FAILURE("IM-CRYPTO-003"),
    /** The connection could not be opened (refused, unreachable, timed out, TLS or handshake failure). */
    TRANSPORT_CONNECT_FAILED("IM-TRANSPORT-001"),
    /** The connection failed or closed while in use. */
    TRANSPORT_CONNECTION_LOST("IM-TRANSPORT-002"),
    /** The listener fell behind and the bounded inbound buffer overflowed. */
    TRANSPORT_INBOUND_OVERFLOW("IM-TRANSPORT-003"),
    /** The peer stopped answering pings within the idle timeout. */
    TRANSPORT_IDLE_TIMEOUT("IM-TRANSPORT-004"),
    /** A request did not get its reply in time. */
    REQUEST_TIMEOUT("IM-REQUEST-001"),
    /** A request failed because the peer is not connected or was closed. */
    NOT_CONNECTED("IM-REQUEST-002"),
    /** No ML-KEM public key is known for the recipient of a message to encrypt. */
    KEY_NOT_FOUND("IM-REQUEST-003"),
    /** The operation needs a protocol extension the server, or the recipient, does not offer. */
    FEATURE_UNAVAILABLE("IM-REQUEST-004"),
    /** The server answered in the other Demos protocol: an L2PS client at a legacy port, or the reverse. */
    PROTOCOL_MISMATCH("IM-REQUEST-005"),
    /**
     * A received message failed sender verification: a signed envelope that is forged, altered, re-routed,
     * replayed or malformed, or plain text from a sender known to sign (a downgrade); see {@link SenderVerification}.
     */
    SENDER_VERIFICATION_FAILED("IM-ENVELOPE-001"),
    /** The server answered a request with an error frame. */
    SERVER_ERROR("IM-SERVER-001"),
    /** The embedded server could not start: a port is taken, the database cannot be opened, a provider is missing. */
    SERVER_START_FAILED("IM-SERVER-002"),
    /** The embedded server stopped itself: its database broke and could not be reopened. */
    SERVER_STORE_FAILED("IM-SERVER-003");

    private final String id;

    ErrorCode(String id) {
        this.id = id;
    }

    /**
     * Returns the stable identifier, for example {@code IM-PROVIDER-001}.
     *
     * @return the identifier that ends every message with this code
     */
    public String id() {
        return id;
    }
}
