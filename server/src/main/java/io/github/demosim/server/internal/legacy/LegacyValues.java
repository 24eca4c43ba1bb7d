package io.github.demosim.server.internal.legacy;

import io.github.demosim.frame.JsonValue;
import java.math.BigDecimal;
import java.util.Optional;

/** How the legacy server reads the values of a {@code register} frame (legacy-and-crypto.md §A.6). */
final class LegacyValues {
    private LegacyValues() {
    }

    /** The bytes of a JSON array of integers 0..255, or {@code null}. */
    static byte[] byteArray(JsonValue v) {
        if (!(v instanceof JsonValue.JsonArray a)) {
            return null;
        }
        byte[] out = new byte[a.elements().size()];
        for (int i = 0; i < out.length; i++) {
            if (!(a.elements().get(i) instanceof JsonValue.JsonNumber n)) {
                return null;
            }
            try {
                int b = n.value().intValueExact();
                if (b < 0 || b > 255) {
                    return null;
                }
                out[i] = (byte) b;
            } catch (ArithmeticException e) {
                return null;
            }
        }
        return out;
    }

    /**
     * {@code new Uint8Array(publicKey).length} as the reference computes it (legacy-and-crypto.md §A.6 b.2): an
     * array's length, a non-negative integer number itself, 0 for strings and other values, empty where
     * JavaScript throws a RangeError (negative or fractional numbers).
     */
    static Optional<Long> typedArrayLength(JsonValue v) {
        if (v instanceof JsonValue.JsonArray a) {
            return Optional.of((long) a.elements().size());
        }
        if (v instanceof JsonValue.JsonNumber n) {
            BigDecimal d = n.value();
            if (d.signum() < 0 || d.stripTrailingZeros().scale() > 0 || d.compareTo(BigDecimal.valueOf(1L << 53)) > 0) {
                return Optional.empty();
            }
            return Optional.of(d.longValue());
        }
        if (v instanceof JsonValue.JsonBoolean b) {
            return Optional.of(b.value() ? 1L : 0L);
        }
        if (v instanceof JsonValue.JsonObject o) {
            return Optional.of(o.get("length").filter(JsonValue.JsonNumber.class::isInstance)
                    .map(x -> ((JsonValue.JsonNumber) x).value().longValue()).orElse(0L));
        }
        return Optional.of(0L);
    }
}
