package io.github.demosim.tck.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTests {
    private ServerSocket echoServer;
    private Thread echoThread;

    @BeforeEach
    void startEcho() throws IOException {
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThread = new Thread(() -> {
            while (!echoServer.isClosed()) {
                try {
                    Socket s = echoServer.accept();
                    Thread t = new Thread(() -> echo(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        echoThread.setDaemon(true);
        echoThread.start();
    }

    private static void echo(Socket s) {
        try (s) {
            s.getInputStream().transferTo(s.getOutputStream());
        } catch (IOException ignored) {
            // connection ended
        }
    }

    @AfterEach
    void stopEcho() throws IOException {
        echoServer.close();
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        byte[] buf = new byte[text.length()];
        int read = 0;
        InputStream in = s.getInputStream();
        while (read < buf.length) {
            int n = in.read(buf, read, buf.length - read);
            if (n < 0) {
                throw new IOException("closed after " + read + " bytes");
            }
            read += n;
        }
        return new String(buf, StandardCharsets.UTF_8);
    }

    private Socket connect(FaultProxy proxy) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(2_000);
        return s;
    }

    @Test
    void forwardsBytesBothWays() throws IOException {
        try (FaultProxy proxy = FaultProxy.start(echoServer.getLocalPort()); Socket s = connect(proxy)) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
            assertThat(proxy.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void cutResetsTheClient() throws IOException {
        try (FaultProxy proxy = FaultProxy.start(echoServer.getLocalPort()); Socket s = connect(proxy)) {
            assertThat(roundTrip(s, "a")).isEqualTo("a");
            proxy.cutAll();
            assertThatThrownBy(() -> {
                roundTrip(s, "b");
                roundTrip(s, "c");
            }).isInstanceOf(IOException.class);
            try (Socket again = connect(proxy)) {
                assertThat(roundTrip(again, "new")).isEqualTo("new");
            }
        }
    }

    @Test
    void stallHoldsBytesUntilResume() throws IOException {
        try (FaultProxy proxy = FaultProxy.start(echoServer.getLocalPort()); Socket s = connect(proxy)) {
            assertThat(roundTrip(s, "x")).isEqualTo("x");
            proxy.stall();
            s.setSoTimeout(300);
            assertThatThrownBy(() -> roundTrip(s, "held")).isInstanceOf(SocketTimeoutException.class);
            proxy.resume();
            s.setSoTimeout(2_000);
            byte[] buf = s.getInputStream().readNBytes(4);
            assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("held");
        }
    }

    @Test
    void halfOpenSwallowsClientBytesAndKeepsItsSocketOpen() throws IOException {
        try (FaultProxy proxy = FaultProxy.start(echoServer.getLocalPort()); Socket s = connect(proxy)) {
            assertThat(roundTrip(s, "x")).isEqualTo("x");
            proxy.halfOpenAll();
            s.setSoTimeout(300);
            // the client can still write (no reset reaches it) but nothing ever comes back
            s.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(s.isClosed()).isFalse();
        }
    }

    @Test
    void refusingResetsNewConnections() throws IOException {
        try (FaultProxy proxy = FaultProxy.start(echoServer.getLocalPort())) {
            proxy.refuseNew(true);
            try (Socket s = connect(proxy)) {
                assertThatThrownBy(() -> roundTrip(s, "nope")).isInstanceOf(IOException.class);
            }
            proxy.refuseNew(false);
            try (Socket s = connect(proxy)) {
                assertThat(roundTrip(s, "yes")).isEqualTo("yes");
            }
        }
    }
}
