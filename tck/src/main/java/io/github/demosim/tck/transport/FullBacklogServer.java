package io.github.demosim.tck.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * An unreachable host without leaving the machine: a listening socket on 127.0.0.1 that never accepts, whose
 * accept queue is filled with connections of its own, so that the kernel drops further SYNs and a new TCP
 * connect hangs exactly as towards a host that does not answer.
 */
public final class FullBacklogServer implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    private FullBacklogServer() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        for (int i = 0; i < 64; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(address, 200);
                fillers.add(filler);
            } catch (SocketTimeoutException e) {
                filler.close();
                return; // the queue is full: connects now hang
            }
        }
        close();
        throw new IllegalStateException("could not fill the accept queue of a loopback listener with 64 connections");
    }

    /**
     * Starts the server and fills its accept queue.
     *
     * @return the server
     * @throws IOException if it cannot listen
     */
    public static FullBacklogServer start() throws IOException {
        return new FullBacklogServer();
    }

    /**
     * Returns a {@code ws://} URI whose TCP connect hangs.
     *
     * @return the URI
     */
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/unreachable");
    }

    @Override
    public void close() throws IOException {
        for (Socket filler : fillers) {
            filler.close();
        }
        listener.close();
    }
}
