package io.github.demosim.tck.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counts the live threads (except the test servers' own, named {@code tck-…}) and the open file descriptors
 * of this JVM ({@code /proc/self/fd}), to show that connections release what they take.
 *
 * @param threads live threads outside the test servers
 * @param fds open file descriptors
 */
public record ResourceCounts(int threads, int fds) {

    /**
     * Counts now.
     *
     * @return the counts
     */
    public static ResourceCounts now() {
        return new ResourceCounts(threadNames().size(), openFds());
    }

    /**
     * Returns the names of the counted threads, for failure messages.
     *
     * @return the names, sorted
     */
    public static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> !name.startsWith("tck-"))
                .sorted()
                .collect(Collectors.toList());
    }

    /**
     * Returns what each open file descriptor points to, for failure messages.
     *
     * @return the link targets, sorted
     */
    public static List<String> fdTargets() {
        try (Stream<Path> list = Files.list(Path.of("/proc/self/fd"))) {
            return list.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "?";
                }
            }).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of("cannot list /proc/self/fd: " + e);
        }
    }

    private static int openFds() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            throw new IllegalStateException("/proc/self/fd is missing: the contract counts sockets on Linux only");
        }
        try (Stream<Path> list = Files.list(fds)) {
            return (int) list.count();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
    }

    /**
     * Waits (up to {@code millis}) until the counts are no higher than {@code baseline} plus the slack.
     *
     * @param baseline the counts to return to
     * @param threadSlack extra threads allowed
     * @param fdSlack extra file descriptors allowed
     * @param millis how long to wait at most
     * @return the last counts taken
     * @throws InterruptedException if interrupted
     */
    public static ResourceCounts awaitAtMost(ResourceCounts baseline, int threadSlack, int fdSlack, long millis)
            throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        ResourceCounts counts = now();
        while ((counts.threads > baseline.threads + threadSlack || counts.fds > baseline.fds + fdSlack)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            counts = now();
        }
        return counts;
    }
}
