package io.github.demosim.transport.jdk;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reassembles the messages {@link java.net.http.WebSocket} delivers in parts (a message spread over several
 * reads or frames arrives as several {@code onText}/{@code onBinary} calls, the last with {@code last = true}),
 * bounded by {@code maxFrameBytes} counted in UTF-8 bytes, as on the wire. A message that arrives whole, the
 * common case, is turned into a string with a single copy. Used by one receiving thread at a time.
 */
final class Inbound {
    /** The message exceeds {@code maxFrameBytes}. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** A binary message is not UTF-8; the cause says where. */
    static final class NotUtf8 extends Exception {
        private static final long serialVersionUID = 1L;

        NotUtf8(CharacterCodingException cause) {
            super(cause);
        }
    }

    private final int maxBytes;
    private StringBuilder text;
    /** Characters of the text message so far. */
    private long chars;
    /** Its exact UTF-8 size, counted only once three bytes per character could exceed the bound; else -1. */
    private long utf8 = -1;
    private byte[] binary;
    private int binaryLength;

    Inbound(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Takes one part of a text message.
     *
     * @return the whole message once {@code last}, else {@code null}
     * @throws TooLarge if the message exceeds the bound (the parts so far are dropped)
     */
    String text(CharSequence part, boolean last) throws TooLarge {
        chars += part.length();
        if (chars > maxBytes) {
            reset();
            throw new TooLarge();
        }
        if (utf8 >= 0) {
            utf8 += utf8Length(part);
        } else if (chars * 3 > maxBytes) {
            utf8 = (text == null ? 0 : utf8Length(text)) + utf8Length(part);
        }
        if (utf8 > maxBytes) {
            reset();
            throw new TooLarge();
        }
        if (text == null) {
            if (last) {
                resetCounts();
                return part.toString();
            }
            text = new StringBuilder((int) Math.min(maxBytes, Math.max(64, 2L * part.length())));
        }
        text.append(part);
        if (!last) {
            return null;
        }
        String whole = text.toString();
        reset();
        return whole;
    }

    /**
     * Takes one part of a binary message; the whole message must be UTF-8 text.
     *
     * @return the decoded message once {@code last}, else {@code null}
     * @throws TooLarge if the message exceeds the bound
     * @throws NotUtf8 if the whole message is not UTF-8
     */
    String binary(ByteBuffer part, boolean last) throws TooLarge, NotUtf8 {
        int n = part.remaining();
        if ((long) binaryLength + n > maxBytes) {
            reset();
            throw new TooLarge();
        }
        if (binary == null && last) {
            return decode(part);
        }
        if (binary == null) {
            binary = new byte[Math.max(256, Math.min(maxBytes, 2 * n))];
        } else if (binary.length < binaryLength + n) {
            binary = Arrays.copyOf(binary, (int) Math.min(maxBytes, Math.max(2L * binary.length, binaryLength + n)));
        }
        part.get(binary, binaryLength, n);
        binaryLength += n;
        if (!last) {
            return null;
        }
        ByteBuffer whole = ByteBuffer.wrap(binary, 0, binaryLength);
        reset();
        return decode(whole);
    }

    /** Drops any partial message (after a failure, to free its memory). */
    void reset() {
        text = null;
        binary = null;
        binaryLength = 0;
        resetCounts();
    }

    private void resetCounts() {
        chars = 0;
        utf8 = -1;
    }

    private static String decode(ByteBuffer bytes) throws NotUtf8 {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new NotUtf8(e);
        }
    }

    /**
     * The UTF-8 size of {@code s}. A high surrogate counts 1 and a low one 3, so that a pair counts its 4 bytes
     * even when a part ends between the two.
     */
    static long utf8Length(CharSequence s) {
        long length = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                length++;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 1;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
