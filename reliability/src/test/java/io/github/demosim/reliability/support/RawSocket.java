package io.github.demosim.reliability.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client written on a bare TCP socket, for what no WebSocket library sends: text messages that are
 * not UTF-8, and frame headers announcing a payload far larger than what follows.
 */
public final class RawSocket implements AutoCloseable {
    /** Opcodes (RFC 6455 §5.2). */
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private byte[] mask;
    private long maskOffset;

    /** A frame the server sent. */
    public record ServerFrame(int opcode, byte[] payload) {
        /** The close code of a close frame, 1005 if it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code 127.0.0.1:port} and completes the upgrade. */
    public static RawSocket connect(int port) throws IOException {
        return connect(port, 0);
    }

    /**
     * Connects with a fixed receive buffer (no autotuning): a client that then stops reading holds only that much
     * of what the server writes in its socket, so the rest stays with the server, as with a slow mobile client.
     *
     * @param port the server's port on 127.0.0.1
     * @param receiveBuffer bytes, or 0 for the system's default (autotuned)
     */
    public static RawSocket connect(int port, int receiveBuffer) throws IOException {
        return upgrade(open(port, receiveBuffer, null), port);
    }

    /**
     * Connects from a given loopback address (Linux routes all of 127/8 to the loopback interface), so one test can
     * be several clients to the server's per-address limits.
     *
     * @param port the server's port on 127.0.0.1
     * @param from the local address, e.g. {@code 127.0.0.2}
     * @return the upgraded connection
     * @throws IOException if the server refuses or closes the connection
     */
    public static RawSocket connectFrom(int port, String from) throws IOException {
        return upgrade(open(port, 0, from), port);
    }

    /**
     * A bare TCP connection that sends {@code requestStart} and never finishes it: half a handshake.
     *
     * @param port the server's port on 127.0.0.1
     * @param requestStart the bytes to send
     * @return the socket
     * @throws IOException if it cannot connect
     */
    public static Socket halfHandshake(int port, String requestStart) throws IOException {
        Socket s = open(port, 0, null);
        s.getOutputStream().write(requestStart.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static Socket open(int port, int receiveBuffer, String from) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            s.bind(new InetSocketAddress(from, 0));
        }
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static RawSocket upgrade(Socket s, int port) throws IOException {
        RawSocket ws = new RawSocket(s);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        ws.out.write(request.getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            head.write(ws.in.readUnsignedByte());
        }
        String status = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        if (!status.contains(" 101 ")) {
            s.close();
            throw new IOException("no upgrade: " + status);
        }
        return ws;
    }

    /** Sends one text message. */
    public void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets how long {@link #read()} waits for data (ms). */
    public void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Sends one complete, masked frame. */
    public void send(int opcode, byte[] payload) throws IOException {
        sendHeader(opcode, payload.length, true);
        sendMaskedBody(payload);
    }

    /**
     * Sends a frame header announcing {@code length} payload bytes; the payload follows with
     * {@link #sendMaskedBody(byte[])}, possibly in pieces, possibly never.
     */
    public void sendHeader(int opcode, long length, boolean fin) throws IOException {
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        h.write((fin ? 0x80 : 0) | opcode);
        if (length < 126) {
            h.write(0x80 | (int) length);
        } else if (length <= 0xffff) {
            h.write(0x80 | 126);
            h.write((int) (length >>> 8) & 0xff);
            h.write((int) length & 0xff);
        } else {
            h.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                h.write((int) (length >>> (8 * i)) & 0xff);
            }
        }
        mask = new byte[4];
        RANDOM.nextBytes(mask);
        h.write(mask);
        out.write(h.toByteArray());
        maskOffset = 0;
    }

    /** Sends payload bytes of the frame whose header went last, masked. */
    public void sendMaskedBody(byte[] bytes) throws IOException {
        byte[] masked = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            masked[i] = (byte) (bytes[i] ^ mask[(int) ((maskOffset + i) & 3)]);
        }
        maskOffset += bytes.length;
        out.write(masked);
        out.flush();
    }

    /** The next frame from the server, or {@code null} when the connection ended. */
    public ServerFrame read() throws IOException {
        try {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new ServerFrame(b0 & 0x0f, payload);
        } catch (EOFException | java.net.SocketException e) {
            return null;
        }
    }

    /** Reads until a close frame (its code), the end of the connection (1006), or the hang guard. */
    public int awaitClose() throws IOException {
        try {
            for (ServerFrame f = read(); f != null; f = read()) {
                if (f.opcode() == CLOSE) {
                    return f.closeCode();
                }
            }
            return 1006;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither closed nor answered within 20 s", e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
