package io.github.demosim.transport.javawebsocket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Consumer;
import javax.net.SocketFactory;

/**
 * Creates the connection's socket (plain, or TLS from the session's {@code SSLContext}) and hands it to the
 * session, which can then close it to end a connect that overran its deadline: Java-WebSocket itself would
 * wait for the upgrade response forever.
 */
final class RecordingSocketFactory extends SocketFactory {
    private final SocketFactory delegate;
    private final Consumer<Socket> created;

    RecordingSocketFactory(SocketFactory delegate, Consumer<Socket> created) {
        this.delegate = delegate;
        this.created = created;
    }

    private Socket record(Socket socket) {
        created.accept(socket);
        return socket;
    }

    @Override
    public Socket createSocket() throws IOException {
        return record(delegate.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return record(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return record(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return record(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return record(delegate.createSocket(address, port, localAddress, localPort));
    }
}
