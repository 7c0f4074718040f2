package io.rapace.benchmarks.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntBinaryOperator;

import io.rapace.benchmarks.report.BenchResult;
import io.rapace.benchmarks.report.ProcessCpu;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.ClientOptions;

/**
 * Two-process figure for typed calls: a {@link RapaceHost} in this JVM, a plugin in a child process,
 * {@code callers} threads each making {@code calls / callers} blocking {@code add} calls through a typed client.
 * Prints throughput and the per-call latency percentiles of the measured round.
 *
 * <pre>
 * java -cp CLASSPATH io.rapace.benchmarks.rpc.TypedCallHarness [calls] [callers[,callers...]] [warmupCalls]
 *      [--plugin-cmd="CMD ARGS"] [--label=NAME] [--idle=S] [--idle-rounds=N] [--hist-out=FILE]
 * </pre>
 *
 * <p>By default the plugin is {@link TypedCallPluginMain} (service {@code TypedCalculator}). With
 * {@code --plugin-cmd} the host launches that command instead (split on spaces, the segment path appended) and
 * calls {@code Calculator.add} ({@link Calculator}): the C reference peer's plugin role, the Spring sample
 * plugin or {@link CalculatorPluginMain}.
 *
 * <p>Each caller count warms up for {@code warmupCalls} calls and at least 3 s before its measured round.
 *
 * <p>Also measured: start-up (launch to the first answer), the plugin's CPU while the pair sits idle for
 * {@code --idle} seconds (default 0: skipped), the first call after that, and the bytes the calling threads
 * allocated per call (those threads only: the session's receive loop is not counted). With {@code --idle-rounds=N}
 * (default 1) the idle period and its first call are repeated N times in all: each round is printed, and the
 * {@code RESULT} line holds the medians of the rounds' idle CPU and first calls. One {@code RESULT} line
 * per caller count, named {@code LABEL-xN}; {@code --hist-out} writes the percentiles of the first count. With an
 * idle period, one more, {@code LABEL/host-idle}: this host process's own CPU over the same idle periods (the
 * median), since target 2 bounds the idle cost of each process, not only the plugin's. With
 * {@code -Drapace.bench.marks=true} each round also prints when its first call began, on {@code CLOCK_MONOTONIC} (the
 * clock of {@link System#nanoTime()} on Linux) and the wall clock, to line it up with a {@code perf record -k
 * CLOCK_MONOTONIC} trace or a profiler's samples (docs/performance-notes.md). The first call comes 0.1 s after the
 * idle period's CPU is read ({@link #SETTLE_MILLIS}).
 */
public final class TypedCallHarness {

    /**
     * Each caller count warms up for at least this long (and at least {@code warmupCalls}): both JVMs' C2
     * compilers work for 1-2 s of CPU after start-up, and a round measured meanwhile shares the two cores with
     * them (a tenth to a half of the calls then took 30-40 µs instead of 2).
     */
    private static final long WARM_UP_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(3);

    /**
     * Between reading the idle period's CPU times and the first call after it: that reading runs this harness's own code
     * (a stream over the process tree, an FFM call), which ran cold at every round and crossed a JIT threshold at some;
     * on 2 cores the compilation it asked for then shared them with the measured call (seen with {@code
     * -Xlog:jit+compilation}: host compilations at the call in the four rounds of 391-903 µs out of 48, rounds of 65-180
     * µs otherwise). The plugin is idle for these 100 ms too.
     */
    private static final long SETTLE_MILLIS = 100;

    private TypedCallHarness() {
    }

    /** Runs the harness. */
    public static void main(String[] args) throws Exception {
        List<String> positional = Arrays.stream(args).filter(a -> !a.startsWith("--")).toList();
        int calls = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 200_000;
        int[] callerCounts = positional.size() > 1
                ? Arrays.stream(positional.get(1).split(",")).mapToInt(Integer::parseInt).toArray() : new int[] {1};
        int warmup = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 50_000;
        String pluginCmd = BenchResult.option(args, "plugin-cmd", null);
        String label = Objects.requireNonNull(BenchResult.option(args, "label", "typed"));
        double idleSeconds = Double.parseDouble(Objects.requireNonNull(BenchResult.option(args, "idle", "0")));
        long idleMillis = Math.round(idleSeconds * 1000);
        String histOut = BenchResult.option(args, "hist-out", null);
        int idleRounds = Integer.parseInt(Objects.requireNonNull(BenchResult.option(args, "idle-rounds", "1")));
        if (idleRounds < 1) {
            throw new IllegalArgumentException("--idle-rounds must be at least 1, got " + idleRounds);
        }

        List<String> command = pluginCmd != null ? Arrays.stream(pluginCmd.trim().split("\\s+")).toList()
                : List.of(ProcessHandle.current().info().command().orElseThrow(),
                        "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), TypedCallPluginMain.class.getName());
        long launched = System.nanoTime();
        try (RapaceHost host = RapaceHost.builder().command(command).start()) {
            ClientOptions options = new ClientOptions(Duration.ofSeconds(30));
            IntBinaryOperator add;
            if (pluginCmd != null) {
                Calculator calculator = host.client(Calculator.class, options);
                add = calculator::add;
            }
            else {
                TypedCalculator calculator = host.client(TypedCalculator.class, options);
                add = calculator::add;
            }
            long hostReady = System.nanoTime();
            host.awaitPluginStarted(Duration.ofSeconds(60));
            long pluginStarted = System.nanoTime();
            if (add.applyAsInt(1, 2) != 3) {
                throw new IllegalStateException("1 + 2 != 3");
            }
            long answered = System.nanoTime();
            double startupMillis = (answered - launched) / 1e6;
            System.out.printf(Locale.ROOT, "typed unary add: start-up (launch to first answer) %.1f ms: host and"
                    + " launch %.1f ms, then plugin's first heartbeat %.1f ms, then first answer %.1f ms: %s%n",
                    startupMillis, (hostReady - launched) / 1e6, (pluginStarted - hostReady) / 1e6,
                    (answered - pluginStarted) / 1e6, String.join(" ", command));
            List<BenchResult> results = new ArrayList<>();
            for (int c = 0; c < callerCounts.length; c++) {
                int callers = callerCounts[c];
                long warmUntil = System.nanoTime() + WARM_UP_NANOS;
                do {
                    round(add, warmup, callers);
                } while (System.nanoTime() - warmUntil < 0);
                Round measured = round(add, calls, callers);
                report(callers, measured);
                long[] sorted = BenchResult.sorted(measured.latencies());
                BenchResult result = BenchResult.named(label + "-x" + callers).latencies(sorted)
                        .callsPerSecond(sorted.length / (measured.elapsedNanos() / 1e9))
                        .allocatedBytesPerCall(measured.allocatedBytes() < 0 ? -1
                                : (double) measured.allocatedBytes() / sorted.length);
                if (c == 0) {
                    result.startupMillis(startupMillis);
                    BenchResult.writeHistogram(histOut, label + "-x" + callers, sorted);
                }
                results.add(result);
            }
            if (idleSeconds > 0) {
                Thread.sleep(200);
                ProcessHandle plugin = host.process().toHandle();
                ProcessHandle self = ProcessHandle.current();
                double[] idles = new double[idleRounds];
                double[] hostIdles = new double[idleRounds];
                double[] firsts = new double[idleRounds];
                boolean marks = Boolean.getBoolean("rapace.bench.marks");
                for (int round = 0; round < idleRounds; round++) {
                    long cpu0 = ProcessCpu.treeNanos(plugin);
                    long hostCpu0 = ProcessCpu.nanos(self.pid());
                    long wall0 = System.nanoTime();
                    Thread.sleep(idleMillis);
                    long wall = System.nanoTime() - wall0;
                    idles[round] = (ProcessCpu.treeNanos(plugin) - cpu0) * 100.0 / wall;
                    hostIdles[round] = (ProcessCpu.nanos(self.pid()) - hostCpu0) * 100.0 / wall;
                    Thread.sleep(SETTLE_MILLIS);
                    long wallMillis = marks ? System.currentTimeMillis() : 0;
                    long t0 = System.nanoTime();
                    add.applyAsInt(40, 2);
                    firsts[round] = (System.nanoTime() - t0) / 1e3;
                    if (marks) {
                        System.out.printf(Locale.ROOT, "mark: round %d began at %d ns (CLOCK_MONOTONIC), %d ms (wall)%n",
                                round + 1, t0, wallMillis);
                    }
                    System.out.printf(Locale.ROOT, "idle %s s: plugin %.2f %%, host %.2f %% of one core; first call"
                            + " after idle %.1f us (round %d of %d)%n", BenchResult.option(args, "idle", "0"),
                            idles[round], hostIdles[round], firsts[round], round + 1, idleRounds);
                }
                results.get(0).idleCpuPercent(median(idles)).firstAfterIdleMicros(median(firsts));
                results.add(BenchResult.named(label + "/host-idle").idleCpuPercent(median(hostIdles)));
            }
            results.forEach(BenchResult::print);
        }
    }

    /** The median of the values (the upper middle one for an even count, as {@code refpeer} reports). */
    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }


    private static Round round(IntBinaryOperator add, int calls, int callers) throws Exception {
        int perCaller = calls / callers;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<long[]>> parts = new ArrayList<>();
            long[] allocated = new long[callers];
            long start = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                parts.add(pool.submit(() -> {
                    long[] nanos = new long[perCaller];
                    long alloc0 = BenchResult.threadAllocatedBytes();
                    for (int i = 0; i < perCaller; i++) {
                        long t0 = System.nanoTime();
                        if (add.applyAsInt(i, 1) != i + 1) {
                            throw new IllegalStateException("wrong answer for " + i);
                        }
                        nanos[i] = System.nanoTime() - t0;
                    }
                    allocated[caller] = alloc0 < 0 ? -1 : BenchResult.threadAllocatedBytes() - alloc0;
                    return nanos;
                }));
            }
            long[] all = new long[perCaller * callers];
            int offset = 0;
            for (Future<long[]> part : parts) {
                long[] nanos = part.get();
                System.arraycopy(nanos, 0, all, offset, nanos.length);
                offset += nanos.length;
            }
            long elapsed = System.nanoTime() - start;
            long totalAllocated = Arrays.stream(allocated).anyMatch(a -> a < 0) ? -1 : Arrays.stream(allocated).sum();
            return new Round(Arrays.copyOf(all, offset), elapsed, totalAllocated);
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** The per-call latencies, the wall time and the callers' allocated bytes of one round. */
    private record Round(long[] latencies, long elapsedNanos, long allocatedBytes) {
    }

    private static void report(int callers, Round round) {
        long[] latencies = BenchResult.sorted(round.latencies());
        System.out.printf(Locale.ROOT, "typed unary add: %d calls, %d callers: %.0f calls/s; latency p50 %.1f us,"
                + " p90 %.1f us, p99 %.1f us, p99.9 %.1f us%n", latencies.length, callers,
                latencies.length / (round.elapsedNanos() / 1e9), BenchResult.percentileMicros(latencies, 50),
                BenchResult.percentileMicros(latencies, 90), BenchResult.percentileMicros(latencies, 99),
                BenchResult.percentileMicros(latencies, 99.9));
    }
}
