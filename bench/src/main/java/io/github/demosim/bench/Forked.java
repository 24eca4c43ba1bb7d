package io.github.demosim.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A bench class ({@link ServerProcess}, {@link EchoServer}) in a JVM of its own, optionally pinned to CPUs with
 * {@code taskset}, whose first line of output is its URI and which stops when its stdin closes. Its CPU time is
 * read from {@code /proc/<pid>/stat} (user + system time of all its threads), from outside: reading it costs the
 * measured process nothing.
 */
final class Forked implements AutoCloseable {
    /** Clock ticks per second of {@code /proc/<pid>/stat} ({@code USER_HZ}): 100 on every Linux ABI we run on. */
    private static final long TICKS_PER_SECOND = 100;

    private final Process process;
    private final URI uri;

    private Forked(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /**
     * Starts {@code main} of {@code mainClass} with this JVM's class path.
     *
     * @param mainClass the class to run
     * @param cpus {@code taskset -c} CPU list, or {@code null} for no pinning
     * @param jvmOptions options for the forked JVM (e.g. a flight recording)
     * @param args its arguments
     * @return the running process, once it printed its URI
     * @throws IOException if it cannot start or does not print a URI
     */
    static Forked start(Class<?> mainClass, String cpus, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        // JVM options may print first (a flight recording announces itself on stdout): skip to the URI
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder printed = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null && printed.length() < 4096) {
            String text = line.replaceFirst("^READY ", "").trim();
            if (text.startsWith("ws://")) {
                return new Forked(p, URI.create(text));
            }
            printed.append(line).append('\n');
        }
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not start; it printed: " + printed);
    }

    /** @return the URI it printed */
    URI uri() {
        return uri;
    }

    /** @return its process id (taskset executes java in its own place, so this is the JVM's) */
    long pid() {
        return process.pid();
    }

    /**
     * CPU time the process has used so far, all threads, user and system.
     *
     * @return nanoseconds (10-ms resolution)
     */
    long cpuNanos() {
        return cpuNanos(process.pid());
    }

    /**
     * CPU time a process has used so far.
     *
     * @param pid the process
     * @return nanoseconds, user + system, of all its threads
     */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // fields after the command name, which is in parentheses and may contain spaces: state is field 3,
            // utime field 14, stime field 15 (proc(5))
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CPU time of process " + pid + " (Linux /proc only)", e);
        }
    }

    /** Closes its stdin (it stops), and kills it if it has not stopped within 30 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
