package io.github.demosim.server;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds a server keeps under load and attack: connections, handshakes, what it buffers for clients, offline
 * queues, and the frame rate per client address. Immutable; start from {@link #defaults()} and change what you
 * need with the {@code with…} methods, then pass it to {@link DemosImServer.Builder#limits(ServerLimits)}.
 * docs/server.md ("Limits") says what happens at each bound and which apply in which mode.
 *
 * <pre>{@code
 * DemosImServer.newBuilder()
 *         .limits(ServerLimits.defaults().withMaxConnectionsPerAddress(2_000))   // clients behind one proxy
 *         .start();
 * }</pre>
 */
public final class ServerLimits {
    /** Default {@link #maxConnections()} where the descriptor limit allows: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Descriptors kept free for the database, logs and the JVM when the default is derived from the limit. */
    static final int RESERVED_DESCRIPTORS = 128;
    private static final long MIB = 1024 * 1024;
    /** Default {@link #diskReserveBytes()}: {@value} bytes (512 MiB). */
    public static final long DEFAULT_DISK_RESERVE = 512 * MIB;

    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final Duration handshakeTimeout;
    private final Duration registrationTimeout;
    private final long outgoingBytesPerConnection;
    private final long outgoingBytesTotal;
    private final int offlineQueueMessages;
    private final long offlineQueueBytes;
    private final int addressRatePerSecond;
    private final int addressRateBurst;
    private final long diskReserveBytes;

    private ServerLimits(int maxConnections, int maxConnectionsPerAddress, Duration handshakeTimeout,
            Duration registrationTimeout, long outgoingBytesPerConnection, long outgoingBytesTotal,
            int offlineQueueMessages, long offlineQueueBytes, int addressRatePerSecond, int addressRateBurst,
            long diskReserveBytes) {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerAddress = maxConnectionsPerAddress;
        this.handshakeTimeout = handshakeTimeout;
        this.registrationTimeout = registrationTimeout;
        this.outgoingBytesPerConnection = outgoingBytesPerConnection;
        this.outgoingBytesTotal = outgoingBytesTotal;
        this.offlineQueueMessages = offlineQueueMessages;
        this.offlineQueueBytes = offlineQueueBytes;
        this.addressRatePerSecond = addressRatePerSecond;
        this.addressRateBurst = addressRateBurst;
        this.diskReserveBytes = diskReserveBytes;
    }

    /**
     * The defaults: 10,000 connections (or the process's descriptor limit minus 128, if lower), 256 per client
     * address, a 10 s handshake timeout, a 30 s registration timeout, 16 MiB buffered per connection (Bun's
     * backpressure limit) and a quarter of the maximum heap in all (at least 16 MiB), offline queues of 10,000
     * messages and 64 MiB per recipient, 1,000 frames per second per client address in bursts of 2,000, and
     * 512 MiB of disk kept free beside an embedded H2 file.
     *
     * @return the default limits
     */
    public static ServerLimits defaults() {
        return new ServerLimits(defaultMaxConnections(), 256, Duration.ofSeconds(10), Duration.ofSeconds(30),
                16 * MIB, Math.max(16 * MIB, Runtime.getRuntime().maxMemory() / 4), 10_000, 64 * MIB, 1_000, 2_000,
                DEFAULT_DISK_RESERVE);
    }

    private static int defaultMaxConnections() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            long fds = os.getMaxFileDescriptorCount();
            if (fds > 0) {
                return (int) Math.max(16, Math.min(DEFAULT_MAX_CONNECTIONS, fds - RESERVED_DESCRIPTORS));
            }
        }
        return DEFAULT_MAX_CONNECTIONS;
    }

    /**
     * Sets the most TCP connections the server keeps open, on both ports together, upgraded or not. A connection
     * beyond it is closed as soon as it is accepted (the client sees the connection closed before any HTTP
     * response), so descriptors never run out. Both modes.
     *
     * @param max 1 or more
     * @return the changed limits
     */
    public ServerLimits withMaxConnections(int max) {
        return new ServerLimits(positive(max, "max connections"), maxConnectionsPerAddress, handshakeTimeout,
                registrationTimeout, outgoingBytesPerConnection, outgoingBytesTotal, offlineQueueMessages,
                offlineQueueBytes, addressRatePerSecond, addressRateBurst, diskReserveBytes);
    }

    /**
     * Sets the most connections from one client IP address; beyond it, as for {@link #withMaxConnections}. Behind
     * a reverse proxy every client has the proxy's address: raise it there. Both modes.
     *
     * @param max 1 or more
     * @return the changed limits
     */
    public ServerLimits withMaxConnectionsPerAddress(int max) {
        return new ServerLimits(maxConnections, positive(max, "max connections per address"), handshakeTimeout,
                registrationTimeout, outgoingBytesPerConnection, outgoingBytesTotal, offlineQueueMessages,
                offlineQueueBytes, addressRatePerSecond, addressRateBurst, diskReserveBytes);
    }

    /**
     * Sets how long a new TCP connection may take to finish its WebSocket handshake (including a plain HTTP
     * request that is never upgraded); then it is closed. Both modes.
     *
     * @param timeout positive
     * @return the changed limits
     */
    public ServerLimits withHandshakeTimeout(Duration timeout) {
        return new ServerLimits(maxConnections, maxConnectionsPerAddress, positive(timeout, "handshake timeout"),
                registrationTimeout, outgoingBytesPerConnection, outgoingBytesTotal, offlineQueueMessages,
                offlineQueueBytes, addressRatePerSecond, addressRateBurst, diskReserveBytes);
    }

    /**
     * Sets how long a WebSocket connection may stay open without registering (L2PS {@code registered}, legacy
     * {@code register} acknowledged); then it is closed with 1008 {@code registration timeout}. Both modes.
     *
     * @param timeout positive
     * @return the changed limits
     */
    public ServerLimits withRegistrationTimeout(Duration timeout) {
        return new ServerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeout,
                positive(timeout, "registration timeout"), outgoingBytesPerConnection, outgoingBytesTotal,
                offlineQueueMessages, offlineQueueBytes, addressRatePerSecond, addressRateBurst, diskReserveBytes);
    }

    /**
     * Sets how many bytes the server buffers for clients that have not read them yet: per connection, and in all.
     * A frame that would exceed either (on a connection that already has bytes waiting) closes that connection
     * with 1008 {@code outgoing buffer full: the client does not read}. Both modes.
     *
     * @param perConnection bytes per connection, 1 or more
     * @param total bytes in all, at least {@code perConnection}
     * @return the changed limits
     */
    public ServerLimits withOutgoingBuffer(long perConnection, long total) {
        if (perConnection < 1 || total < perConnection) {
            throw new IllegalArgumentException("outgoing buffer limits must be positive, the total at least the "
                    + "per-connection limit; were " + perConnection + " and " + total);
        }
        return new ServerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeout, registrationTimeout,
                perConnection, total, offlineQueueMessages, offlineQueueBytes, addressRatePerSecond,
                addressRateBurst, diskReserveBytes);
    }

    /**
     * Sets the most one recipient's offline queue may hold, in messages and in stored bytes, whatever the number of
     * senders (L2PS: per recipient key and network, counting messages not yet acknowledged; legacy: per client id).
     * A message beyond it is refused: L2PS {@code L2PS_SUBMIT_FAILED} / {@code Recipient's offline queue is full},
     * legacy {@code INTERNAL_ERROR} / {@code Offline queue of the recipient is full...}. Both modes.
     *
     * @param messages 1 or more
     * @param bytes 1 or more
     * @return the changed limits
     */
    public ServerLimits withOfflineQueue(int messages, long bytes) {
        if (messages < 1 || bytes < 1) {
            throw new IllegalArgumentException("offline queue limits must be positive, were " + messages + " and "
                    + bytes);
        }
        return new ServerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeout, registrationTimeout,
                outgoingBytesPerConnection, outgoingBytesTotal, messages, bytes, addressRatePerSecond,
                addressRateBurst, diskReserveBytes);
    }

    /**
     * Sets the pace of all connections from one client IP address together (hardened mode; on top of
     * {@link DemosImServer.Builder#rateLimit}, which is per connection and per registered key): beyond it their
     * next frames are read more slowly, never refused. So opening more connections does not buy more frames.
     *
     * @param perSecond sustained frames per second, or 0 for no limit
     * @param burst frames allowed at once
     * @return the changed limits
     */
    public ServerLimits withRateLimitPerAddress(int perSecond, int burst) {
        if (perSecond < 0 || (perSecond > 0 && burst < 1)) {
            throw new IllegalArgumentException("rate limit must be 0 (off) or positive with a burst of at least 1");
        }
        return new ServerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeout, registrationTimeout,
                outgoingBytesPerConnection, outgoingBytesTotal, offlineQueueMessages, offlineQueueBytes, perSecond,
                burst, diskReserveBytes);
    }

    /**
     * Sets the free space the server keeps on the disk of an embedded H2 database file: while the disk has less,
     * new messages are refused (L2PS {@code L2PS_SUBMIT_FAILED} / {@code Server storage is full; try again
     * later}, legacy {@code INTERNAL_ERROR} with the same text), while deliveries, acknowledgements, history and
     * registrations go on. So a server whose file outgrows the disk refuses senders instead of failing inside the
     * database, and leaves room for other programs. The reserve is also the room for what messages already stored
     * still write (H2 copies a row's pages on each change): their acknowledgements, the L2PS pipeline's batches
     * and confirmations, the file's housekeeping. A closed-loop run that reached the reserve after 18,744 messages
     * wrote 80 MiB more before it settled (docs/server.md, "Persistence"), so choose a reserve with room for the
     * messages a burst may leave unconfirmed. The free space is read again at most every 100 ms.
     * Both modes. No effect on PostgreSQL, an H2 server or a database in memory, whose disks the server does not
     * see (docs/server.md, "The H2 file's housekeeping").
     *
     * @param bytes bytes kept free, 0 for none
     * @return the changed limits
     */
    public ServerLimits withDiskReserve(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("disk reserve must be 0 (none) or positive, was " + bytes);
        }
        return new ServerLimits(maxConnections, maxConnectionsPerAddress, handshakeTimeout, registrationTimeout,
                outgoingBytesPerConnection, outgoingBytesTotal, offlineQueueMessages, offlineQueueBytes,
                addressRatePerSecond, addressRateBurst, bytes);
    }

    private static int positive(int n, String what) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, was " + n);
        }
        return n;
    }

    private static Duration positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * Returns the bound: connections on both ports together at most.
     *
     * @return the value
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * Returns the bound: connections from one address at most.
     *
     * @return the value
     */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * Returns the bound: accept to finished handshake at most.
     *
     * @return the value
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Returns the bound: handshake to registration at most.
     *
     * @return the value
     */
    public Duration registrationTimeout() {
        return registrationTimeout;
    }

    /**
     * Returns the bound: bytes buffered for one connection at most.
     *
     * @return the value
     */
    public long outgoingBytesPerConnection() {
        return outgoingBytesPerConnection;
    }

    /**
     * Returns the bound: bytes buffered for all connections at most.
     *
     * @return the value
     */
    public long outgoingBytesTotal() {
        return outgoingBytesTotal;
    }

    /**
     * Returns the bound: messages in one recipient's offline queue at most.
     *
     * @return the value
     */
    public int offlineQueueMessages() {
        return offlineQueueMessages;
    }

    /**
     * Returns the bound: stored bytes in one recipient's offline queue at most.
     *
     * @return the value
     */
    public long offlineQueueBytes() {
        return offlineQueueBytes;
    }

    /**
     * Returns the bound: frames per second per client address, 0 for none.
     *
     * @return the value
     */
    public int addressRatePerSecond() {
        return addressRatePerSecond;
    }

    /**
     * Returns the bound: burst per client address.
     *
     * @return the value
     */
    public int addressRateBurst() {
        return addressRateBurst;
    }

    /**
     * Returns the free space kept on the disk of an embedded H2 file ({@link #withDiskReserve}).
     *
     * @return bytes, 0 for none
     */
    public long diskReserveBytes() {
        return diskReserveBytes;
    }

    @Override
    public String toString() {
        return "ServerLimits[connections " + maxConnections + " (" + maxConnectionsPerAddress + " per address), "
                + "handshake " + handshakeTimeout.toMillis() + " ms, registration " + registrationTimeout.toMillis()
                + " ms, outgoing " + outgoingBytesPerConnection + " B per connection / " + outgoingBytesTotal
                + " B in all, offline queue " + offlineQueueMessages + " messages / " + offlineQueueBytes + " B, "
                + "rate per address " + addressRatePerSecond + "/s burst " + addressRateBurst + ", disk reserve "
                + diskReserveBytes + " B]";
    }
}
