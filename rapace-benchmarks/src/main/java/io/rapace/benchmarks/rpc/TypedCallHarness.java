package io.rapace.benchmarks.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.rapace.core.runtime.RapaceHost;

/**
 * Two-process figure for typed calls: a {@link RapaceHost} in this JVM, {@link TypedCallPluginMain} in a child
 * JVM, {@code callers} threads each making {@code calls / callers} blocking {@code TypedCalculator.add} calls
 * through a client proxy. Prints throughput and the per-call latency percentiles of the measured round.
 *
 * <p>Usage: {@code java -cp CLASSPATH io.rapace.benchmarks.rpc.TypedCallHarness [calls] [callers] [warmupCalls]}.
 */
public final class TypedCallHarness {

    private TypedCallHarness() {
    }

    /** Runs the harness. */
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int callers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), TypedCallPluginMain.class.getName());
        try (RapaceHost host = RapaceHost.builder().command(command).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            TypedCalculator calculator = host.client(TypedCalculator.class);
            round(calculator, warmup, callers);
            report(callers, round(calculator, calls, callers));
        }
    }

    private static Round round(TypedCalculator calculator, int calls, int callers) throws Exception {
        int perCaller = calls / callers;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<long[]>> parts = new ArrayList<>();
            long start = System.nanoTime();
            for (int c = 0; c < callers; c++) {
                parts.add(pool.submit(() -> {
                    long[] nanos = new long[perCaller];
                    for (int i = 0; i < perCaller; i++) {
                        long t0 = System.nanoTime();
                        if (calculator.add(i, 1) != i + 1) {
                            throw new IllegalStateException("wrong answer for " + i);
                        }
                        nanos[i] = System.nanoTime() - t0;
                    }
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
            return new Round(Arrays.copyOf(all, offset), elapsed);
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** The per-call latencies and the wall time of one round. */
    private record Round(long[] latencies, long elapsedNanos) {
    }

    private static void report(int callers, Round round) {
        long[] latencies = round.latencies();
        Arrays.sort(latencies);
        System.out.printf("typed unary add: %d calls, %d callers: %.0f calls/s; latency p50 %.1f us, p90 %.1f us,"
                + " p99 %.1f us, p99.9 %.1f us%n", latencies.length, callers,
                latencies.length / (round.elapsedNanos() / 1e9), percentile(latencies, 0.50) / 1e3,
                percentile(latencies, 0.90) / 1e3, percentile(latencies, 0.99) / 1e3,
                percentile(latencies, 0.999) / 1e3);
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }
}
