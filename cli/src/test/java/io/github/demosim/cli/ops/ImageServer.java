package io.github.demosim.cli.ops;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code demos-im server} as operators run it: the jlink image's launcher ({@code target/image/bin/demos-im}, built
 * in the package phase, so these are failsafe integration tests) in a process of its own, with the environment
 * and arguments a test gives. Everything the process prints is kept for assertions.
 */
final class ImageServer implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern PORT = Pattern.compile("^\\s*(L2PS messaging|legacy signaling|admin[^:]*):.*\\(port (\\d+)\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread drain;
    int l2psPort = -1;
    int legacyPort = -1;
    int adminPort = -1;

    private ImageServer(Process process) {
        this.process = process;
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        drain = new Thread(() -> {
            try {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("(output: ").append(e).append(")\n");
            }
        }, "image-server-output");
        drain.setDaemon(true);
        drain.start();
    }

    static Path launcher() {
        Path image = Path.of(System.getProperty("demos.im.image", "target/image"));
        Path launcher = image.resolve("bin").resolve("demos-im");
        if (!Files.isExecutable(launcher)) {
            throw new AssertionError("no jlink image at " + image + "; run the integration tests through Maven"
                    + " (mvn verify), which builds it in the package phase");
        }
        return launcher;
    }

    private static ProcessBuilder builder(Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("DEMOS_IM_")); // only what the test says
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts {@code demos-im server ARGS} and waits until it says it is listening. */
    static ImageServer start(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>();
        all.add("server");
        all.addAll(List.of(args));
        ImageServer s = new ImageServer(builder(env, all).start());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!s.output().contains("Press Ctrl-C to stop.")) {
            if (!s.process.isAlive() || System.nanoTime() > deadline) {
                s.close();
                throw new AssertionError("the server did not start (exit " + (s.process.isAlive() ? "none" :
                        s.process.exitValue()) + "):\n" + s.output());
            }
            Thread.sleep(50);
        }
        for (String line : s.output().split("\n")) {
            Matcher m = PORT.matcher(line);
            if (m.find()) {
                int port = Integer.parseInt(m.group(2));
                switch (m.group(1).substring(0, 4)) {
                    case "L2PS" -> s.l2psPort = port;
                    case "lega" -> s.legacyPort = port;
                    default -> s.adminPort = port;
                }
            }
        }
        return s;
    }

    /**
     * A whole run of a command that ends by itself.
     *
     * @param exit its status
     * @param output what it printed (both streams)
     */
    record Run(int exit, String output) {
    }

    static Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ImageServer s = new ImageServer(builder(env, List.of(args)).start());
        if (!s.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            s.close();
            throw new AssertionError("demos-im " + String.join(" ", args) + " did not end:\n" + s.output());
        }
        s.drain.join(10_000);
        return new Run(s.process.exitValue(), s.output());
    }

    String output() {
        return output.toString();
    }

    /** Waits for the process to end on its own (after a signal) and for its last lines. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop within " + STOP_TIMEOUT.toSeconds() + " s:\n" + output());
        }
        drain.join(10_000);
        return process.exitValue();
    }

    HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls an admin path until its answer matches (the server reacts to outside changes within seconds). */
    HttpResponse<String> awaitAdmin(String path, Predicate<HttpResponse<String>> until, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> last = admin(path);
        while (!until.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("GET " + path + " still answers " + last.statusCode() + " " + last.body());
            }
            Thread.sleep(200);
            last = admin(path);
        }
        return last;
    }

    /** The value of one series in a Prometheus text exposition, 0 when absent. */
    static double metric(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return 0;
    }

    double metric(String series) throws IOException, InterruptedException {
        HttpResponse<String> r = admin("/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.body());
        }
        return metric(r.body(), series);
    }

    /** Stops the process if a test left it running (SIGTERM, then SIGKILL): no process outlives a test. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            drain.join(10_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
