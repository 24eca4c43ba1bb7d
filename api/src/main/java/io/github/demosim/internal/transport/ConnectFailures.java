package io.github.demosim.internal.transport;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import io.github.demosim.spi.TransportOptions;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLException;

/**
 * What a failed connect says, for every transport of this project: one text per cause (refused, unknown host,
 * no route, TLS, HTTP status on the upgrade, timeout), with the fix, and the library's own exception as the
 * cause. The transports differ only in how their library reports a cause; each hands over what it found
 * ({@link #of} classifies exception chains, {@link #httpStatus} and {@link #timedOut} take what a transport
 * learns otherwise). The tck's {@code TransportContract} checks the texts on every transport over real sockets.
 */
public final class ConnectFailures {
    private ConnectFailures() {
    }

    /**
     * The attempt did not complete within {@link TransportOptions#connectTimeout()}.
     *
     * @param options the attempt's options
     * @param cause what the library reported, or {@code null} when the transport's own deadline passed
     * @return the failure
     */
    public static TransportException timedOut(TransportOptions options, Throwable cause) {
        return failed(options, "it did not complete within the connect timeout of "
                + options.connectTimeout().toMillis() + " ms (TCP, TLS and upgrade). Check that the server is"
                + " reachable and answering, or raise TransportOptions.connectTimeout", cause);
    }

    /**
     * The server answered the upgrade request with {@code status} instead of 101.
     *
     * @param options the attempt's options
     * @param status the HTTP status
     * @param cause what the library reported, or {@code null}
     * @return the failure
     */
    public static TransportException httpStatus(TransportOptions options, int status, Throwable cause) {
        return failed(options, "the server answered the WebSocket upgrade with HTTP " + status + " instead of 101."
                + " Check the URI's path and that the server speaks WebSocket there", cause);
    }

    /**
     * The TLS handshake failed; for a library that reports it without an exception.
     *
     * @param options the attempt's options
     * @param cause what the library reported, or {@code null}
     * @return the failure
     */
    public static TransportException tls(TransportOptions options, Throwable cause) {
        return failed(options, "the TLS handshake failed. Check the server's certificate and host name, or pass an"
                + " SSLContext that trusts it with TransportOptions.sslContext", cause);
    }

    /**
     * The failure for an exception a library threw or reported, by the first cause in its chain that says what
     * happened; {@code detail} (a library's close reason) is said where nothing in the chain does.
     *
     * @param options the attempt's options
     * @param failure what the library threw or reported, or {@code null} if it gave only a reason
     * @param detail a reason the library gave, or {@code null}
     * @return the failure
     */
    public static TransportException of(TransportOptions options, Throwable failure, String detail) {
        URI uri = options.uri();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // anywhere in the chain: java.net.http wraps it in a ConnectException
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return failed(options, "the host " + uri.getHost() + " is unknown. Check the URI's host name",
                        failure);
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return failed(options, "the connection was refused. Check that the server is running and that the"
                        + " URI's host and port are right", failure);
            } else if (t instanceof NoRouteToHostException) {
                return failed(options, "there is no route to " + uri.getHost() + ". Check the network", failure);
            } else if (t instanceof SocketTimeoutException) {
                return timedOut(options, failure);
            } else if (t instanceof SSLException) {
                return tls(options, failure);
            } else if (t instanceof GeneralSecurityException) {
                return failed(options, "the JDK's default TLS context is unavailable (" + t.getMessage() + ")."
                        + " Pass an SSLContext with TransportOptions.sslContext", failure);
            }
        }
        String why = failure != null ? String.valueOf(failure) : detail;
        return failed(options, "the connection or the WebSocket upgrade failed"
                + (why == null || why.isEmpty() ? "" : " (" + why + ")") + ". Check that the server is running and"
                + " speaks WebSocket at this URI", failure);
    }

    private static TransportException failed(TransportOptions options, String what, Throwable cause) {
        return new TransportException(ErrorCode.TRANSPORT_CONNECT_FAILED,
                "Could not open a WebSocket connection to " + options.uri() + ": " + what + ".", cause);
    }
}
