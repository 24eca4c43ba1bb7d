/**
 * The demos-im reference server: L2PS messaging and legacy signaling over Jetty 12 WebSockets, persisted over
 * JDBC (embedded H2 or PostgreSQL). Start one with {@link io.github.demosim.server.DemosImServer#newBuilder()}.
 *
 * <p>The JSON codec and the crypto are found through {@link java.util.ServiceLoader} (modules
 * {@code io.github.demosim.codec.json} and {@code io.github.demosim.crypto.bouncycastle}); the JDBC driver
 * through {@link java.sql.DriverManager} ({@code com.h2database} or {@code org.postgresql.jdbc}).
 */
module io.github.demosim.server {
    requires transitive io.github.demosim;
    requires java.sql;
    requires jdk.management;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.util;
    requires org.eclipse.jetty.websocket.core.common;
    requires org.eclipse.jetty.websocket.core.server;
    // The admin port's metrics. Optional: only a server with an admin port needs them (AdminServer says so when
    // they are missing), so applications that embed the server without one need not ship them. They are automatic
    // modules; the CLI's jlink image gives them module descriptors (cli/src/build/build-image.sh).
    requires static io.prometheus.metrics.config;
    requires static io.prometheus.metrics.core;
    requires static io.prometheus.metrics.instrumentation.jvm;
    requires static io.prometheus.metrics.model;
    requires static io.prometheus.writer.text;
    // The cluster's LISTEN/NOTIFY (PGConnection.getNotifications). Static: only a server on PostgreSQL loads the
    // cluster classes, and there the driver is present (found as a java.sql.Driver service, which resolves it).
    requires static org.postgresql.jdbc;
    // An embedded H2 file's housekeeping (H2Housekeeping: H2 compacts its file only in a background thread that
    // WRITE_DELAY=0 turns off). Static: only a server on an H2 file loads it, and there the driver is present.
    requires static com.h2database;

    exports io.github.demosim.server;
}
