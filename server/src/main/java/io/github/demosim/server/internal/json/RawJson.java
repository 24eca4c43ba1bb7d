package io.github.demosim.server.internal.json;

import io.github.demosim.frame.Frame;
import io.github.demosim.frame.JsonValue;
import io.github.demosim.internal.wire.Stringify;
import java.util.UUID;

/**
 * Puts stored JSON text into a frame as it is, without parsing it into a tree first: a stored legacy message may
 * be megabytes of numbers, whose tree would take ten times that. The frame is written with a {@link #MARK}
 * string where the text goes, then the mark is replaced. The mark holds a random part, so no client string can
 * be taken for it. Text stored since the server writes frames with {@link Stringify} is that writer's compact
 * output, so the frame is what {@link FrameText} would have written.
 */
public final class RawJson {
    /** The stand-in value; put it where the stored text goes. */
    public static final JsonValue MARK = JsonValue.of("\u0000demos-im-raw-" + UUID.randomUUID() + "\u0000");

    private RawJson() {
    }

    /**
     * Writes a frame with stored JSON text in place of the first {@link #MARK}.
     *
     * @param frame the frame, holding {@link #MARK} once
     * @param raw compact JSON text
     * @return the frame's text
     */
    public static String write(Frame frame, String raw) {
        String text = FrameText.of(frame);
        String mark = Stringify.write(MARK);
        int at = text.indexOf(mark);
        if (at < 0) {
            throw new IllegalArgumentException("the frame holds no mark");
        }
        return text.substring(0, at) + raw + text.substring(at + mark.length());
    }
}
