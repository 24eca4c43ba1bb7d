package io.github.demosim.transport.javawebsocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * Client text frames (RFC 6455 §5.2), whole and masked, ready for the socket. Java-WebSocket's own framing masks
 * byte by byte and then validates the UTF-8 it has just encoded, about two thirds of the sending thread's time on
 * a 2.6 KB frame (JFR, TransportBenchmark); here the text is encoded once with {@link String#getBytes} and masked
 * eight bytes at a time, into the single array the writer thread sends.
 *
 * <p>Masking keys come from a {@link SecureRandom} (RFC 6455 §5.3: a strong source of entropy), drawn 64 keys at a
 * time. One instance per connection; {@link #frame} is called under the connection's send lock.
 */
final class MaskedTextFrames {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int KEYS = 64;

    private final SecureRandom random = new SecureRandom();
    private final byte[] keys = new byte[4 * KEYS];
    private int next = KEYS;

    /** The frame carrying {@code text}: FIN, opcode 1, the mask bit, the length, the key, the masked payload. */
    byte[] frame(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int n = payload.length;
        int header = n < 126 ? 6 : n <= 0xFFFF ? 8 : 14;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) 0x81;
        if (n < 126) {
            frame[1] = (byte) (0x80 | n);
        } else if (n <= 0xFFFF) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >>> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        if (next == KEYS) {
            random.nextBytes(keys);
            next = 0;
        }
        int k = 4 * next++;
        System.arraycopy(keys, k, frame, header - 4, 4);
        int key = (keys[k] & 0xFF) << 24 | (keys[k + 1] & 0xFF) << 16 | (keys[k + 2] & 0xFF) << 8 | keys[k + 3] & 0xFF;
        long mask = (key & 0xFFFFFFFFL) << 32 | (key & 0xFFFFFFFFL);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            LONGS.set(frame, header + i, (long) LONGS.get(payload, i) ^ mask);
        }
        for (; i < n; i++) {
            frame[header + i] = (byte) (payload[i] ^ keys[k + (i & 3)]);
        }
        return frame;
    }
}
