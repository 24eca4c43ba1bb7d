package io.github.demosim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time of the benchmark threads per operation, each iteration: {@code -prof io.github.demosim.bench.CpuTimeProfiler}
 * adds the secondary metric {@code cpu.time} (µs/op). On a machine other processes keep busy, the wall-clock time
 * per operation measures how long the benchmark waited for a CPU as much as the code; the CPU time its threads
 * used does not (a contended core still runs it somewhat slower: shared caches, a sibling hyperthread). It counts
 * JMH's worker threads only, not the JIT compiler or the garbage collector's own threads.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> cpuAtStart = new HashMap<>();

    /** Creates the profiler; JMH calls this. */
    public CpuTimeProfiler() {
    }

    @Override
    public String getDescription() {
        return "CPU time of the benchmark threads per operation, µs/op";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart.clear();
        // JMH starts its workers before the first iteration and keeps them; a worker started later counts from 0.
        for (ThreadInfo thread : threads.dumpAllThreads(false, false)) {
            if (isWorker(thread)) {
                cpuAtStart.put(thread.getThreadId(), threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
    }

    @Override
    @SuppressWarnings("rawtypes") // JMH's InternalProfiler declares the raw Result
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
            IterationResult result) {
        long cpuNanos = 0;
        for (ThreadInfo thread : threads.dumpAllThreads(false, false)) {
            long now = isWorker(thread) ? threads.getThreadCpuTime(thread.getThreadId()) : -1;
            if (now >= 0) {
                cpuNanos += now - cpuAtStart.getOrDefault(thread.getThreadId(), 0L);
            }
        }
        long ops = Math.max(1, result.getMetadata().getMeasuredOps());
        return List.of(new ScalarResult("cpu.time", cpuNanos / 1e3 / ops, "us/op", AggregationPolicy.AVG));
    }

    private static boolean isWorker(ThreadInfo thread) {
        return thread.getThreadName().contains("jmh-worker");
    }
}
