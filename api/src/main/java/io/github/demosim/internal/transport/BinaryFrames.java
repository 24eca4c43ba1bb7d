package io.github.demosim.internal.transport;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A binary frame read as text, as every transport of this project does (the servers of both protocols may). */
public final class BinaryFrames {
    private BinaryFrames() {
    }

    /**
     * Decodes a binary frame as strict UTF-8: malformed or unmappable input is an error, never a replacement
     * character, so the transport can close with 1007 ({@link Closing#binaryNotUtf8}).
     *
     * @param bytes the frame's payload
     * @return the text
     * @throws CharacterCodingException if it is not UTF-8
     */
    public static String text(ByteBuffer bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(bytes).toString();
    }
}
