package io.github.demosim;

import java.util.Objects;

/**
 * A successful legacy registration: the server's {@code register} acknowledgement
 * ({@code legacy-and-crypto.md} §A.3). Unlike {@link L2psRegistration} it carries no presence and no
 * extensions: the legacy server sends neither with it; {@link MessagingPeer#discover()} asks who is online.
 *
 * @param clientId the registered client id, as the server acknowledged it
 */
public record LegacyRegistration(String clientId) {

    /**
     * Creates the registration.
     *
     * @param clientId the client id
     */
    public LegacyRegistration {
        Objects.requireNonNull(clientId, "clientId");
    }
}
