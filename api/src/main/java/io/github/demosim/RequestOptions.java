package io.github.demosim;

import io.github.demosim.frame.legacy.LegacyServerFrame;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How {@link MessagingPeer#sendToServerAndWait} waits: a timeout per try, how many times to send again after a
 * timeout, and which frames of the expected type count as the answer ({@code legacy-and-crypto.md} §A.9,
 * §C.2 item 14).
 *
 * <pre>{@code
 * RequestOptions o = RequestOptions.defaults().withRetries(2)
 *         .withFilter(f -> f instanceof PublicKeyResponse r && r.peerId().equals("bob"));
 * }</pre>
 *
 * @param timeout how long each try waits; positive
 * @param retries how many times the frame is sent again after a timeout; {@code 0} or more
 * @param filter accepts the answer among frames of the expected type
 */
public record RequestOptions(Duration timeout, int retries, Predicate<? super LegacyServerFrame> filter) {

    private static final RequestOptions DEFAULTS = new RequestOptions(Duration.ofSeconds(10), 0, f -> true);

    /**
     * Validates the options.
     *
     * @param timeout the timeout per try
     * @param retries the retries
     * @param filter the filter
     * @throws IllegalArgumentException if the timeout is not positive or retries is negative
     */
    public RequestOptions {
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(filter, "filter");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be 0 or more, got " + retries);
        }
    }

    /**
     * Returns the TypeScript SDK's defaults: 10 s, no retry, any frame of the expected type.
     *
     * @return the defaults
     */
    public static RequestOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns these options with another timeout.
     *
     * @param timeout the timeout per try
     * @return the new options
     */
    public RequestOptions withTimeout(Duration timeout) {
        return new RequestOptions(timeout, retries, filter);
    }

    /**
     * Returns these options with another retry count.
     *
     * @param retries the retries
     * @return the new options
     */
    public RequestOptions withRetries(int retries) {
        return new RequestOptions(timeout, retries, filter);
    }

    /**
     * Returns these options with another filter.
     *
     * @param filter the filter
     * @return the new options
     */
    public RequestOptions withFilter(Predicate<? super LegacyServerFrame> filter) {
        return new RequestOptions(timeout, retries, filter);
    }
}
