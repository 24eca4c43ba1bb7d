package io.github.demosim.tck.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that puts faults between a client and a server, for tests: it can
 * {@linkplain #cutAll() cut} every connection (a reset, as when a network path dies), {@linkplain #stall() stall}
 * them (bytes stop flowing both ways while both sockets stay open, as behind a black-holing middlebox), and make
 * them {@linkplain #halfOpenAll() half-open} (the server side is closed while the client's socket stays open and
 * everything it sends vanishes), or {@linkplain #dropReplies() drop the server's replies} only. {@linkplain
 * #refuseNew(boolean) Refusing} new connections simulates a server that is down while the port stays bound.
 *
 * <p>Each connection uses two daemon threads; {@link #close()} ends them all. Only loopback addresses are used.
 */
public final class FaultProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object stallLock = new Object();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean stalled;
    private volatile boolean refusing;
    private volatile boolean droppingReplies;
    private volatile boolean closed;
    private final Thread acceptor;

    private FaultProxy(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.target = new InetSocketAddress(loopback, targetPort);
        this.listener = new ServerSocket(0, 200, loopback);
        this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Starts a proxy on an ephemeral loopback port that forwards to {@code targetPort} on loopback.
     *
     * @param targetPort the server's port
     * @return the running proxy
     */
    public static FaultProxy start(int targetPort) {
        try {
            return new FaultProxy(targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fault proxy", e);
        }
    }

    /**
     * Returns the port clients connect to.
     *
     * @return the proxy's port
     */
    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Returns how many client connections the proxy has accepted so far.
     *
     * @return the count
     */
    public long acceptedConnections() {
        return accepted.get();
    }

    /**
     * Returns how many connections are currently forwarded (or stalled, or half-open).
     *
     * @return the count
     */
    public int openConnections() {
        links.removeIf(Link::isDead);
        return links.size();
    }

    /** Resets every current connection on both sides at once. New connections are still accepted. */
    public void cutAll() {
        for (Link link : links) {
            link.reset();
        }
        links.clear();
    }

    /**
     * From now on the server's bytes are read and discarded while the client's still reach the server: requests
     * arrive and are processed, their answers never come back (as when a server dies between storing a message and
     * acknowledging it). Lasts for the proxy's lifetime.
     */
    public void dropReplies() {
        droppingReplies = true;
    }

    /** Stops forwarding bytes in both directions; sockets stay open. */
    public void stall() {
        stalled = true;
    }

    /** Resumes forwarding after {@link #stall()}; bytes held meanwhile are delivered. */
    public void resume() {
        synchronized (stallLock) {
            stalled = false;
            stallLock.notifyAll();
        }
    }

    /**
     * Closes the server side of every current connection, leaving each client socket open: what the client sends
     * from now on is read and discarded, and it receives nothing, as on a half-open TCP connection.
     */
    public void halfOpenAll() {
        for (Link link : links) {
            link.halfOpen();
        }
    }

    /**
     * While {@code refuse} is true, new connections are accepted and immediately reset, as if the server were down.
     *
     * @param refuse whether to refuse new connections
     */
    public void refuseNew(boolean refuse) {
        refusing = refuse;
    }

    @Override
    public void close() {
        closed = true;
        resume();
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cutAll();
        try {
            acceptor.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (refusing) {
                resetQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(target, 5_000);
            } catch (IOException e) {
                resetQuietly(client);
                closeQuietly(server);
                continue;
            }
            Link link = new Link(client, server);
            links.add(link);
            link.start();
        }
    }

    private void awaitUnstalled() throws InterruptedException {
        synchronized (stallLock) {
            while (stalled && !closed) {
                stallLock.wait();
            }
        }
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (SocketException ignored) {
            // the socket is gone already
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }

    /** One proxied connection: two pumps. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean halfOpen;
        private volatile boolean dead;

        Link(Socket client, Socket server) {
            this.client = Objects.requireNonNull(client);
            this.server = Objects.requireNonNull(server);
        }

        void start() {
            Thread up = new Thread(() -> pump(client, server, true), "fault-proxy-up-" + client.getPort());
            Thread down = new Thread(() -> pump(server, client, false), "fault-proxy-down-" + client.getPort());
            up.setDaemon(true);
            down.setDaemon(true);
            up.start();
            down.start();
        }

        boolean isDead() {
            return dead;
        }

        void reset() {
            dead = true;
            resetQuietly(client);
            resetQuietly(server);
        }

        void halfOpen() {
            halfOpen = true;
            resetQuietly(server);
        }

        private void pump(Socket from, Socket to, boolean upstream) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    awaitUnstalled();
                    if (halfOpen) {
                        if (upstream) {
                            continue; // the client's bytes vanish
                        }
                        break;
                    }
                    if (!upstream && droppingReplies) {
                        continue; // the server's answers vanish
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the connection ended; fall through to close
            }
            if (halfOpen && upstream) {
                return; // keep the client socket open
            }
            if (!halfOpen) {
                dead = true;
                closeQuietly(from);
                closeQuietly(to);
            }
        }
    }
}
