package io.github.demosim.reliability.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Resource figures of one JVM: heap in use right after a full collection, live threads, open file
 * descriptors (sockets included, from {@code /proc/self/fd}).
 *
 * @param heapAfterGcBytes heap used after {@code System.gc()}
 * @param threads live threads
 * @param fileDescriptors open descriptors, or -1 where {@code /proc} is missing
 */
public record ProcessStats(long heapAfterGcBytes, int threads, long fileDescriptors) {

    /** Measures this JVM. */
    public static ProcessStats measure() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Await.sleep(50);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return new ProcessStats(heap, threads, openFileDescriptors());
    }

    private static long openFileDescriptors() {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (Stream<Path> s = Files.list(fds)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The heap in MiB, for reports. */
    public double heapMiB() {
        return heapAfterGcBytes / (1024.0 * 1024.0);
    }

    /** One line for logs and documentation. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "heap after GC %.1f MiB, %d threads, %d fds", heapMiB(), threads,
                fileDescriptors);
    }

    /** The text form a server process prints. */
    String wire() {
        return "STATS " + heapAfterGcBytes + " " + threads + " " + fileDescriptors;
    }

    static ProcessStats parse(String line) {
        String[] p = line.split(" ");
        return new ProcessStats(Long.parseLong(p[1]), Integer.parseInt(p[2]), Long.parseLong(p[3]));
    }
}
