package io.github.demosim.internal.wire;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * JavaScript's Number::toString (ECMA-262, radix 10) for doubles: what {@code String(x)} and template
 * literals print. The reference server embeds frame timestamps in signed proof strings this way, so a
 * JSON {@code 1709312400000.0} must print {@code 1709312400000} and {@code 1e21} must print {@code 1e+21}.
 *
 * <p>Java's {@code Double.toString} differs in format (always a fraction or {@code E} notation) and, before
 * JDK 19, sometimes in digits (not always the shortest round-trip form), so the digits are computed here:
 * the shortest decimal that reads back as the same double, the closest to the exact value among those,
 * the even one on a tie (ECMA-262 §6.1.6.1.20, step 5).
 */
public final class JsNumber {
    private JsNumber() {
    }

    /**
     * Formats a double as JavaScript does.
     *
     * @param value the number
     * @return {@code String(value)} in JavaScript
     */
    public static String toString(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (value == 0) {
            return "0"; // also -0
        }
        if (value < 0) {
            return "-" + toString(-value);
        }
        if (Double.isInfinite(value)) {
            return "Infinity";
        }
        BigDecimal shortest = shortestRoundTrip(value);
        // value = 0.d1d2...dk x 10^n in the specification's terms: digits and the position of the point.
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale();
        StringBuilder out = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            out.append(digits);
            out.append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return out.toString();
    }

    /**
     * Formats an exact decimal as JavaScript would after {@code JSON.parse}: first rounded to the nearest
     * double (overflow gives {@code Infinity}), then printed.
     *
     * @param value the decimal
     * @return {@code String(JSON.parse(value))} in JavaScript
     */
    public static String toString(BigDecimal value) {
        return toString(value.doubleValue());
    }

    /**
     * The shortest decimal (fewest significant digits) that rounds back to {@code value}; among several with
     * that many digits, the nearest to the exact binary value (ties: even last digit). Trailing zeros removed.
     */
    private static BigDecimal shortestRoundTrip(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal best = null;
            // Nearest first; the directed roundings cover the asymmetric interval around a power of two,
            // where the nearest candidate can fall outside the interval but the one on the other side not.
            for (RoundingMode mode : new RoundingMode[] {RoundingMode.HALF_EVEN, RoundingMode.DOWN, RoundingMode.UP}) {
                BigDecimal candidate = exact.round(new MathContext(precision, mode));
                if (candidate.doubleValue() != value) {
                    continue;
                }
                if (best == null) {
                    best = candidate;
                } else {
                    int cmp = candidate.subtract(exact).abs().compareTo(best.subtract(exact).abs());
                    if (cmp < 0) {
                        best = candidate;
                    }
                }
            }
            if (best != null) {
                return best.stripTrailingZeros();
            }
        }
        // 17 significant digits always round-trip; unreachable for finite doubles.
        throw new AssertionError("no round-trip form for " + value);
    }
}
