package io.github.demosim.internal.wire;

import io.github.demosim.frame.JsonValue;

/**
 * What the frame decoder makes of a member whose JSON type is not the one its record field has. Codecs are
 * {@link #STRICT}: such a member is a {@code CODEC_INVALID_FRAME}. The server's reference mode accepts what the
 * reference node accepts, which reads members through JavaScript's {@code String(value)} (a numeric
 * {@code l2psUid} or {@code to}) and hands numeric strings to PostgreSQL (a {@code "20"} history {@code limit});
 * it supplies a leniency that says so, and keeps the parsed tree for what a record cannot hold (a proof
 * timestamp's JavaScript text, a relayed {@code encrypted} object of any shape).
 *
 * <p>Absent members and JSON {@code null} never reach a leniency: they are absent.
 */
public interface Leniency {

    /** Nothing of the wrong type is accepted. */
    Leniency STRICT = new Leniency() {
        @Override
        public String string(JsonValue value) {
            return null;
        }

        @Override
        public Long integer(JsonValue value) {
            return null;
        }

        @Override
        public String toString() {
            return "STRICT";
        }
    };

    /**
     * Reads a string member that holds another value.
     *
     * @param value a number, boolean, object or array
     * @return the text to use, or {@code null} to refuse the member
     */
    String string(JsonValue value);

    /**
     * Reads an integer member that holds another value: a string, boolean, object, array or a number that is not
     * an integer in the {@code long} range.
     *
     * @param value the value
     * @return the integer to use, or {@code null} to refuse the member
     */
    Long integer(JsonValue value);
}
