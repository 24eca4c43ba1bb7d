package io.github.demosim.tck.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw TCP server on 127.0.0.1 that accepts connections and then stops cooperating: either it never answers
 * the upgrade request ({@link #neverUpgrading()}), or it completes the WebSocket upgrade and then neither reads
 * nor writes again, so pings go unanswered ({@link #deadAfterUpgrade()}), or it refuses the upgrade with an
 * HTTP status ({@link #refusingUpgrade(int)}). Sockets stay open until {@link #close()}.
 */
public final class UnresponsiveServer implements AutoCloseable {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final ServerSocket listener;
    /** 0: never answer; 101: upgrade, then silence; another status: answer it and end the response. */
    private final int answer;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private UnresponsiveServer(int answer) throws IOException {
        this.answer = answer;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "tck-unresponsive-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a server that accepts TCP connections but never answers the upgrade request.
     *
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static UnresponsiveServer neverUpgrading() throws IOException {
        return new UnresponsiveServer(0);
    }

    /**
     * Starts a server that completes the upgrade, then stops reading and writing.
     *
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static UnresponsiveServer deadAfterUpgrade() throws IOException {
        return new UnresponsiveServer(101);
    }

    /**
     * Starts a server that answers every upgrade request with {@code status} (and no body) and then closes.
     *
     * @param status an HTTP status other than 101, such as 403 or 404
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static UnresponsiveServer refusingUpgrade(int status) throws IOException {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status must be a final HTTP status (200-599): " + status);
        }
        return new UnresponsiveServer(status);
    }

    /**
     * Returns a {@code ws://} URI of this server.
     *
     * @return the URI
     */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/dead");
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                accepted.add(socket);
                if (answer != 0) {
                    answerUpgrade(socket, answer);
                }
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void answerUpgrade(Socket socket, int status) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            request.write(b);
        }
        if (status != 101) {
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 " + status + " Refused by the tck\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            socket.shutdownOutput();
            return;
        }
        String key = null;
        for (String line : request.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                key = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        String accept;
        try {
            accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        OutputStream out = socket.getOutputStream();
        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        // and from now on: silence
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
