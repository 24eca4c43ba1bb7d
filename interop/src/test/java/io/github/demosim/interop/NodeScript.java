package io.github.demosim.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One running script of {@code interop/bin}, spoken to in its JSON-lines protocol: commands on stdin,
 * replies ({@code {id, ok, ...}}) and events ({@code {event, ...}}) on stdout; stderr (the SDK's own
 * logging) is kept for failure messages. Closing ends stdin, waits, then kills: no process outlives a test.
 */
final class NodeScript implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    private static final int STDERR_KEPT = 20_000;
    private static final String UNHANDLED_REJECTION = "unhandled_rejection";

    private final String name;
    private final Process process;
    private final OutputStream stdin;
    private final List<JsonNode> lines = new ArrayList<>();
    private final StringBuilder stderr = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private int nextId = 1;
    private boolean stdoutClosed;

    private NodeScript(String name, Process process) {
        this.name = name;
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdoutReader = new Thread(this::readStdout, "node-" + name + "-stdout");
        this.stderrReader = new Thread(() -> readStderr(process.getErrorStream()), "node-" + name + "-stderr");
        stdoutReader.setDaemon(true);
        stderrReader.setDaemon(true);
        stdoutReader.start();
        stderrReader.start();
    }

    /** Starts {@code bin/<script> args...}. */
    static NodeScript start(String script, String... args) {
        NodeRuntime runtime = NodeRuntime.get();
        ProcessBuilder builder = new ProcessBuilder(runtime.command(script, List.of(args)))
                .directory(runtime.directory().toFile());
        try {
            return new NodeScript(script, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + script, e);
        }
    }

    private void readStdout() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode parsed;
                try {
                    parsed = JSON.readTree(line);
                } catch (IOException e) {
                    parsed = JSON.createObjectNode().put("event", "unparseable_stdout").put("line", line);
                }
                synchronized (this) {
                    lines.add(parsed);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the process went away; waiters see stdoutClosed below
        } finally {
            synchronized (this) {
                stdoutClosed = true;
                notifyAll();
            }
        }
    }

    private void readStderr(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (stderr) {
                    stderr.append(line).append('\n');
                    if (stderr.length() > STDERR_KEPT) {
                        stderr.delete(0, stderr.length() - STDERR_KEPT);
                    }
                }
            }
        } catch (IOException e) {
            // process ended
        }
    }

    /** Sends a command and returns its successful reply; a failure reply is an {@link AssertionError}. */
    JsonNode call(ObjectNode command) {
        JsonNode reply = callRaw(command);
        if (!reply.path("ok").asBoolean()) {
            throw new AssertionError(name + ": " + command.path("op").asText() + " failed: "
                    + reply.path("error").asText() + diagnostics());
        }
        return reply;
    }

    /** Sends a command and returns its reply, successful or not. */
    JsonNode callRaw(ObjectNode command) {
        int id;
        synchronized (this) {
            id = nextId++;
        }
        command.put("id", id);
        try {
            stdin.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        } catch (IOException e) {
            throw new AssertionError(name + ": cannot send " + command + ": " + e + diagnostics(), e);
        }
        return await(line -> line.path("id").asInt(-1) == id, "the reply to " + command.path("op").asText(), DEFAULT_WAIT);
    }

    /** A new command object {@code {"op": op}}. */
    static ObjectNode op(String op) {
        return JSON.createObjectNode().put("op", op);
    }

    /** The first event named {@code event} (already received or coming) that matches {@code filter}. */
    JsonNode awaitEvent(String event, Predicate<JsonNode> filter) {
        return await(line -> event.equals(line.path("event").asText()) && filter.test(line), "event " + event, DEFAULT_WAIT);
    }

    /** The first event named {@code event}. */
    JsonNode awaitEvent(String event) {
        return awaitEvent(event, line -> true);
    }

    /** The event named {@code event} with this 0-based position among those events, received or coming. */
    JsonNode awaitEvent(String event, int index) {
        return await(line -> event.equals(line.path("event").asText()) && positionAmong(event, line) == index,
                "event " + event + " #" + (index + 1), DEFAULT_WAIT);
    }

    private synchronized int positionAmong(String event, JsonNode line) {
        int position = 0;
        for (JsonNode earlier : lines) {
            if (earlier == line) {
                return position;
            }
            if (event.equals(earlier.path("event").asText())) {
                position++;
            }
        }
        return -1;
    }

    /** Every event named {@code event} received so far. */
    synchronized List<JsonNode> events(String event) {
        return lines.stream().filter(line -> event.equals(line.path("event").asText())).toList();
    }

    private synchronized JsonNode await(Predicate<JsonNode> match, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (JsonNode line : lines) {
                if (match.test(line)) {
                    return line;
                }
                // The SDK fails an inbound decryption only by an unhandled rejection (legacy-and-crypto.md
                // §C.1 #16), after which its Falcon WASM module's own handler ends the process: fail now, saying so.
                if (UNHANDLED_REJECTION.equals(line.path("event").asText())) {
                    throw new AssertionError(name + ": unhandled rejection in the SDK while waiting for " + what + ": "
                            + line.path("error").asText() + diagnostics());
                }
            }
            long left = deadline - System.nanoTime();
            if (stdoutClosed || left <= 0) {
                throw new AssertionError(name + ": " + (stdoutClosed ? "exited" : "timed out") + " while waiting for "
                        + what + diagnostics());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /** What the script printed, for failure messages. */
    String diagnostics() {
        StringBuilder out = new StringBuilder("\n--- ").append(name).append(" stdout ---\n");
        synchronized (this) {
            lines.forEach(line -> out.append(abbreviate(line.toString())).append('\n'));
        }
        out.append("--- ").append(name).append(" stderr (tail) ---\n");
        synchronized (stderr) {
            out.append(stderr.length() > 4000 ? stderr.substring(stderr.length() - 4000) : stderr);
        }
        return out.toString();
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "…" : text;
    }

    @Override
    public void close() {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            stdoutReader.join(5_000);
            stderrReader.join(5_000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
