package io.github.demosim.server.internal.json;

import io.github.demosim.frame.Frame;
import io.github.demosim.internal.wire.FrameEncoder;
import io.github.demosim.internal.wire.Stringify;

/**
 * A frame's text as the server sends it: the api's one frame mapping ({@link FrameEncoder}, members in the
 * reference's order) written by {@link Stringify}, which is {@code JSON.stringify} (JavaScript escaping and
 * numbers), in both modes. The reference's bytes therefore come from the records, not from strings spelled here.
 */
public final class FrameText {
    private FrameText() {
    }

    /**
     * Writes a frame.
     *
     * @param frame the frame
     * @return its text
     */
    public static String of(Frame frame) {
        return of(frame, FrameEncoder.Verbatim.NONE);
    }

    /**
     * Writes a frame, with the members a relay passes on as it received them.
     *
     * @param frame the frame
     * @param verbatim the members written as received
     * @return its text
     */
    public static String of(Frame frame, FrameEncoder.Verbatim verbatim) {
        StringBuilder out = new StringBuilder(128);
        FrameEncoder.write(frame, new Stringify(out), verbatim);
        return out.toString();
    }
}
