package io.github.demosim.spi;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and how a transport connects. Immutable; create with {@link #newBuilder(URI)}.
 *
 * @param uri the {@code ws://} or {@code wss://} URI
 * @param connectTimeout how long opening (TCP, TLS, upgrade) may take
 * @param pingInterval how often to ping an otherwise quiet connection
 * @param idleTimeout how long without any inbound frame (pongs included) before the peer counts as dead
 * @param sslContext the TLS context for {@code wss://}, or {@code null} for the JDK default trust store
 * @param inboundBufferFrames how many received frames may wait for a slow listener before the connection is
 *     failed with {@code TRANSPORT_INBOUND_OVERFLOW}
 * @param inboundBufferBytes how much memory received frames waiting for a slow listener may take before the
 *     connection is failed with {@code TRANSPORT_INBOUND_OVERFLOW}: a frame counts 2 bytes per {@code char} (what
 *     a Java string takes at most) plus 64 bytes of bookkeeping; one frame alone always fits, whatever its
 *     size ({@code maxFrameBytes} bounds it)
 * @param maxFrameBytes the largest inbound frame accepted
 */
public record TransportOptions(URI uri, Duration connectTimeout, Duration pingInterval, Duration idleTimeout,
        SSLContext sslContext, int inboundBufferFrames, int inboundBufferBytes, int maxFrameBytes) {

    /** Default connect timeout: 10 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Default ping interval: 30 s. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    /** Default idle timeout: 120 s, the reference server's. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(120);
    /** Default inbound buffer: 65,536 frames. */
    public static final int DEFAULT_INBOUND_BUFFER_FRAMES = 65_536;
    /** Default inbound buffer: 16 MiB (about 3,000 frames of a 2.6 KB chat message). */
    public static final int DEFAULT_INBOUND_BUFFER_BYTES = 16 * 1024 * 1024;
    /** Default maximum frame: 16 MiB, the reference server's. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

    /**
     * Creates the options, checking every value.
     *
     * @param uri the URI
     * @param connectTimeout the connect timeout
     * @param pingInterval the ping interval
     * @param idleTimeout the idle timeout
     * @param sslContext the TLS context, or {@code null}
     * @param inboundBufferFrames the inbound buffer size in frames
     * @param inboundBufferBytes the inbound buffer size in bytes
     * @param maxFrameBytes the largest inbound frame
     */
    public TransportOptions {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"ws".equalsIgnoreCase(scheme) && !"wss".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("uri must be ws:// or wss://, got " + uri);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(pingInterval, "pingInterval");
        requirePositive(idleTimeout, "idleTimeout");
        if (inboundBufferFrames < 1) {
            throw new IllegalArgumentException("inboundBufferFrames must be at least 1, got " + inboundBufferFrames);
        }
        if (inboundBufferBytes < 1024) {
            throw new IllegalArgumentException("inboundBufferBytes must be at least 1024, got " + inboundBufferBytes);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024, got " + maxFrameBytes);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /**
     * Returns options with every default for {@code uri}.
     *
     * @param uri the URI
     * @return the options
     */
    public static TransportOptions of(URI uri) {
        return newBuilder(uri).build();
    }

    /**
     * Starts a builder.
     *
     * @param uri the {@code ws://} or {@code wss://} URI
     * @return a builder with every default
     */
    public static Builder newBuilder(URI uri) {
        return new Builder(uri);
    }

    /** Builds {@link TransportOptions}. Not thread-safe. */
    public static final class Builder {
        private final URI uri;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private SSLContext sslContext;
        private int inboundBufferFrames = DEFAULT_INBOUND_BUFFER_FRAMES;
        private int inboundBufferBytes = DEFAULT_INBOUND_BUFFER_BYTES;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;

        private Builder(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        /**
         * Sets the connect timeout. If not invoked, 10 s.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * Sets the ping interval. If not invoked, 30 s.
         *
         * @param interval the interval
         * @return this builder
         */
        public Builder pingInterval(Duration interval) {
            this.pingInterval = interval;
            return this;
        }

        /**
         * Sets the idle timeout. If not invoked, 120 s.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /**
         * Sets the TLS context for {@code wss://}. If not invoked, the JDK default.
         *
         * @param context the context
         * @return this builder
         */
        public Builder sslContext(SSLContext context) {
            this.sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * Sets the inbound buffer size in frames. If not invoked, 65,536.
         *
         * @param frames the size
         * @return this builder
         */
        public Builder inboundBufferFrames(int frames) {
            this.inboundBufferFrames = frames;
            return this;
        }

        /**
         * Sets how much memory received frames may take while they wait for the listener (see
         * {@link TransportOptions#inboundBufferBytes()}). If not invoked, 16 MiB.
         *
         * @param bytes the size, at least 1024
         * @return this builder
         */
        public Builder inboundBufferBytes(int bytes) {
            this.inboundBufferBytes = bytes;
            return this;
        }

        /**
         * Sets the largest inbound frame. If not invoked, 16 MiB.
         *
         * @param bytes the size
         * @return this builder
         */
        public Builder maxFrameBytes(int bytes) {
            this.maxFrameBytes = bytes;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException if a value is out of range
         */
        public TransportOptions build() {
            return new TransportOptions(uri, connectTimeout, pingInterval, idleTimeout, sslContext,
                    inboundBufferFrames, inboundBufferBytes, maxFrameBytes);
        }
    }
}
