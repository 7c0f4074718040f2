package io.rapace.benchmarks.rpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.core.runtime.RapaceHost;

/**
 * Two-process figure for bulk streaming: a {@link RapaceHost} in this JVM calls {@link BulkSource#chunks} of
 * {@link BulkPluginMain} in a child JVM through a typed client and counts the bytes that reach the
 * subscriber (decoded {@code byte[]} items), end to end.
 *
 * <p>Usage: {@code java -cp CLASSPATH io.rapace.benchmarks.rpc.BulkStreamHarness [items] [itemBytes]}
 * (defaults 100000 items of 60 KiB). Streams for {@value #WARM_UP_SECONDS} s to warm up (both JITs compile the
 * copy paths only after tens of thousands of items; a warm-up of a fifth of 20,000 items measured 1.0-1.3 GB/s
 * where a warm JVM does 2.2-2.5), then measures {@value #ROUNDS} streams of {@code items} and reports the median
 * round. Prints a human line per round and a {@code RESULT} line.
 */
public final class BulkStreamHarness {

    private static final int WARM_UP_SECONDS = 5;

    private static final int ROUNDS = 3;

    private BulkStreamHarness() {
    }

    /** Runs the harness. */
    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 60 * 1024;
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), BulkPluginMain.class.getName());
        try (RapaceHost host = RapaceHost.builder().command(command).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            BulkSource source = host.client(BulkSource.class);
            long warmUntil = System.nanoTime() + Duration.ofSeconds(WARM_UP_SECONDS).toNanos();
            while (System.nanoTime() - warmUntil < 0) {
                stream(source, Math.max(1, items / 5), size);
            }
            double[] rounds = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                long bytes = stream(source, items, size);
                double seconds = (System.nanoTime() - start) / 1e9;
                rounds[round] = bytes / seconds / 1e9;
                System.out.printf("bulk server stream: %,d items of %,d bytes in %.2f s: %,.0f items/s, %.2f GB/s%n",
                        items, size, seconds, items / seconds, rounds[round]);
            }
            java.util.Arrays.sort(rounds);
            double gbps = rounds[ROUNDS / 2];
            System.out.printf("RESULT name=bulk-stream-60k p50_us=- p99_us=- p999_us=- calls_per_s=- idle_cpu_pct=- "
                    + "first_after_idle_us=- startup_ms=- alloc_b_per_call=- gbps=%.2f%n", gbps);
        }
    }

    private static long stream(BulkSource source, int items, int size) {
        AtomicLong bytes = new AtomicLong();
        long count = source.chunks(items, size).doOnNext(chunk -> bytes.addAndGet(chunk.length)).count()
                .block(Duration.ofMinutes(5));
        if (count != items) {
            throw new IllegalStateException("expected " + items + " items, got " + count);
        }
        return bytes.get();
    }
}
