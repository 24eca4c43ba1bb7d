package io.github.demosim.server.internal.admin;

import io.github.demosim.server.internal.metrics.ServerMetrics;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * {@link ServerMetrics} on Prometheus' own Java client, in a registry of this server's own (two servers in one
 * JVM do not mix their counts). Every name and its meaning is listed in docs/operations.md; keep the two in step.
 * The only class besides {@link AdminServer} that touches the Prometheus library, so that a server without an
 * admin port never loads it.
 */
final class PrometheusMetrics implements ServerMetrics {
    private static final String PROTOCOL = "protocol";
    /** Store writes take 0.1 ms (H2) to tens of ms (a remote PostgreSQL under load); above 1 s is an outage. */
    private static final double[] WRITE_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
        1, 2.5, 10};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter accepted = counter("demos_im_messages_accepted", "Messages accepted from their senders",
            PROTOCOL);
    private final Counter deliveredLive = counter("demos_im_messages_delivered_live",
            "Accepted messages sent straight to an online recipient", PROTOCOL);
    private final Counter queued = counter("demos_im_messages_queued",
            "Accepted messages queued for an offline recipient", PROTOCOL);
    private final Counter redelivered = counter("demos_im_messages_redelivered",
            "Queued messages delivered when their recipient came back", PROTOCOL);
    private final Counter acknowledged = counter("demos_im_messages_acknowledged",
            "Messages acknowledged by their recipient (L2PS ack extension)", PROTOCOL);
    private final Counter errors = counter("demos_im_errors", "Error frames sent, by error code", PROTOCOL, "code");
    private final Counter refusals = counter("demos_im_refusals",
            "Messages refused by a limit (offline_quota)", PROTOCOL, "reason");
    private final Counter paced = counter("demos_im_frames_paced",
            "Frames held back because their connection was over its rate", PROTOCOL);
    private final Histogram storeWrites = Histogram.builder().name("demos_im_store_write_seconds")
            .help("Duration of database writes, by store operation").labelNames("operation").classicOnly()
            .classicUpperBounds(WRITE_BUCKETS).register(registry);

    PrometheusMetrics() {
        JvmMetrics.builder().register(registry);
    }

    private Counter counter(String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(registry);
    }

    /**
     * Registers the values read at scrape time and starts every counter of a served protocol at zero.
     *
     * @param protocols the served protocols
     * @param connections open WebSocket connections of a protocol
     * @param registered registered peers of a protocol
     * @param backlog L2PS messages per pipeline status (empty while the database does not answer)
     * @param ready whether the server is ready
     * @param fileBytes the embedded H2 file's size, -1 where there is none or it is not known
     */
    void bind(List<String> protocols, ToIntFunction<String> connections, ToIntFunction<String> registered,
            Supplier<Map<String, Long>> backlog, BooleanSupplier ready, LongSupplier fileBytes) {
        for (String p : protocols) { // zero from the start, so that rate() and alerts see every series
            for (Counter c : List.of(accepted, deliveredLive, queued, redelivered, acknowledged, paced)) {
                c.labelValues(p);
            }
            refusals.labelValues(p, OFFLINE_QUOTA);
            refusals.labelValues(p, DISK_RESERVE);
        }
        GaugeWithCallback.builder().name("demos_im_connections").help("Open WebSocket connections")
                .labelNames(PROTOCOL)
                .callback(cb -> protocols.forEach(p -> cb.call(connections.applyAsInt(p), p))).register(registry);
        GaugeWithCallback.builder().name("demos_im_registered_peers").help("Peers registered (online)")
                .labelNames(PROTOCOL)
                .callback(cb -> protocols.forEach(p -> cb.call(registered.applyAsInt(p), p))).register(registry);
        GaugeWithCallback.builder().name("demos_im_pipeline_messages")
                .help("L2PS messages per pipeline status (l2ps_pending is the backlog)").labelNames("status")
                .callback(cb -> backlog.get().forEach((status, n) -> cb.call(n, status))).register(registry);
        GaugeWithCallback.builder().name("demos_im_ready").help("1 when /health/ready answers 200, else 0")
                .callback(cb -> cb.call(ready.getAsBoolean() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("demos_im_store_file_bytes")
                .help("Size of the embedded H2 database file (no sample on other databases)")
                .callback(cb -> {
                    long bytes = fileBytes.getAsLong();
                    if (bytes >= 0) {
                        cb.call(bytes);
                    }
                }).register(registry);
    }

    /** The content type of {@link #write}. */
    String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
    }

    @Override
    public void accepted(String protocol) {
        accepted.labelValues(protocol).inc();
    }

    @Override
    public void deliveredLive(String protocol) {
        deliveredLive.labelValues(protocol).inc();
    }

    @Override
    public void queued(String protocol) {
        queued.labelValues(protocol).inc();
    }

    @Override
    public void redelivered(String protocol, int count) {
        redelivered.labelValues(protocol).inc(count);
    }

    @Override
    public void acknowledged(String protocol) {
        acknowledged.labelValues(protocol).inc();
    }

    @Override
    public void error(String protocol, String code) {
        errors.labelValues(protocol, code).inc();
    }

    @Override
    public void refused(String protocol, String reason) {
        refusals.labelValues(protocol, reason).inc();
    }

    @Override
    public void framePaced(String protocol) {
        paced.labelValues(protocol).inc();
    }

    @Override
    public void storeWrite(String operation, long nanos) {
        storeWrites.labelValues(operation).observe(nanos / 1e9);
    }
}
