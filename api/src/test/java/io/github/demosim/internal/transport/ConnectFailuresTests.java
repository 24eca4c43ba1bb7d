package io.github.demosim.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.demosim.ErrorCode;
import io.github.demosim.TransportException;
import io.github.demosim.spi.TransportOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The causes the tck cannot produce on every machine (no route, a missing TLS context) and the chains the
 * libraries wrap them in; the tck's TransportContract checks the texts over real sockets on each transport.
 */
class ConnectFailuresTests {
    private static final TransportOptions OPTIONS = TransportOptions.newBuilder(URI.create("wss://example.test:3006/"))
            .connectTimeout(Duration.ofMillis(1500)).build();
    private static final String PREFIX = "Could not open a WebSocket connection to wss://example.test:3006/: ";

    private static String what(TransportException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.TRANSPORT_CONNECT_FAILED);
        assertThat(e.getMessage()).startsWith(PREFIX).endsWith(". [IM-TRANSPORT-001]");
        return e.getMessage().substring(PREFIX.length(), e.getMessage().length() - " [IM-TRANSPORT-001]".length());
    }

    @Test
    void theCauseIsFoundAnywhereInTheChainAndKeptAsTheCause() {
        IOException wrapped = new IOException("library words", new ConnectException("Connection refused"));
        TransportException e = ConnectFailures.of(OPTIONS, new RuntimeException(wrapped), null);
        assertThat(what(e)).startsWith("the connection was refused.");
        assertThat(e.getCause().getCause()).isSameAs(wrapped);
    }

    @Test
    void anUnresolvedHostWinsOverTheConnectExceptionWrappingIt() {
        ConnectException connect = new ConnectException();
        connect.initCause(new UnresolvedAddressException());
        assertThat(what(ConnectFailures.of(OPTIONS, connect, null)))
                .isEqualTo("the host example.test is unknown. Check the URI's host name.");
    }

    @Test
    void eachCauseHasItsText() {
        assertThat(what(ConnectFailures.of(OPTIONS, new NoRouteToHostException("x"), null)))
                .isEqualTo("there is no route to example.test. Check the network.");
        assertThat(what(ConnectFailures.of(OPTIONS, new SocketTimeoutException("x"), null)))
                .isEqualTo(what(ConnectFailures.timedOut(OPTIONS, null)))
                .contains("connect timeout of 1500 ms");
        assertThat(what(ConnectFailures.of(OPTIONS, new SSLHandshakeException("PKIX"), null)))
                .isEqualTo(what(ConnectFailures.tls(OPTIONS, null)));
        assertThat(what(ConnectFailures.of(OPTIONS, new NoSuchAlgorithmException("none"), null)))
                .isEqualTo("the JDK's default TLS context is unavailable (none). Pass an SSLContext with"
                        + " TransportOptions.sslContext.");
        assertThat(what(ConnectFailures.httpStatus(OPTIONS, 403, null))).isEqualTo("the server answered the"
                + " WebSocket upgrade with HTTP 403 instead of 101. Check the URI's path and that the server speaks"
                + " WebSocket there.");
    }

    @Test
    void anythingElseSaysWhatTheLibrarySaid() {
        assertThat(what(ConnectFailures.of(OPTIONS, new IOException("odd"), "ignored"))).isEqualTo("the connection"
                + " or the WebSocket upgrade failed (java.io.IOException: odd). Check that the server is running and"
                + " speaks WebSocket at this URI.");
        assertThat(what(ConnectFailures.of(OPTIONS, null, "a close reason"))).startsWith("the connection or the"
                + " WebSocket upgrade failed (a close reason).");
        assertThat(what(ConnectFailures.of(OPTIONS, null, null))).startsWith("the connection or the"
                + " WebSocket upgrade failed. Check");
    }
}
