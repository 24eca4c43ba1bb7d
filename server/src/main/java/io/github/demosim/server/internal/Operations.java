package io.github.demosim.server.internal;

import io.github.demosim.server.ServerTls;

/**
 * The operator's settings, apart from the protocol ones in {@link ServerConfig}: the admin port and TLS.
 *
 * @param adminHost the admin port's bind address
 * @param adminPort the admin port, 0 for an ephemeral one, -1 for none (the default)
 * @param tls the certificate for {@code wss://}, or {@code null} for plain {@code ws://}
 */
public record Operations(String adminHost, int adminPort, ServerTls tls) {
    /** No admin port, no TLS. */
    public static final Operations NONE = new Operations("127.0.0.1", -1, null);
}
