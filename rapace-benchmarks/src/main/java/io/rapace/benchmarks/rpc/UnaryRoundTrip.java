package io.rapace.benchmarks.rpc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.rapace.benchmarks.report.BenchResult;
import io.rapace.benchmarks.report.ProcessCpu;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.MethodHandler;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.BackoffIdleStrategy;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;

/**
 * Unary round-trip figures through {@link RpcSession}: latency percentiles of one caller making one call
 * at a time, then the throughput of several pipelining callers. By default the echo server runs in a
 * child JVM ({@link EchoPlugin}); {@code --same-jvm} runs both sessions in this process.
 *
 * <pre>
 * java -cp ... io.rapace.benchmarks.rpc.UnaryRoundTrip [--calls=200000] [--warmup=50000] [--payload=16]
 *      [--callers=8] [--window=32] [--same-jvm] [--inline] [--idle=3] [--yield-window-us=N] [--label=session]
 *      [--hist-out=FILE]
 * </pre>
 *
 * <p>The echo handler runs on a virtual thread per call (a blocking handler, the default), or with
 * {@code --inline} on the receiving thread (a non-blocking one).
 *
 * <p>{@code --idle=S} then leaves the session pair idle for S seconds and prints the CPU both processes
 * burnt meanwhile; {@code --yield-window-us} sets the {@link BackoffIdleStrategy} yield window on both sides
 * (default: the strategy's default).
 *
 * <p>Besides the human-readable lines it prints {@code RESULT} lines ({@link BenchResult}) named
 * {@code LABEL-callBlocking} (with the idle figures, the first call after the idle period and the bytes the
 * calling thread allocated per call: that thread only, not the receive loop), {@code LABEL-call-get} and
 * {@code LABEL-pipelined}; {@code --hist-out} writes the callBlocking percentiles.
 */
public final class UnaryRoundTrip {

    /** The echo method id used by both sides. */
    static final int ECHO = 1;

    private UnaryRoundTrip() {
    }

    /** The echo handler: on a virtual thread per call, or with {@code inline} on the receiving thread. */
    static Dispatcher echoDispatcher(boolean inline) {
        if (inline) {
            MethodHandler onReceivingThread = new MethodHandler() {
                @Override
                public void handle(io.rapace.core.session.ServerCall call) {
                    call.respond(call.requestPayload());
                }

                @Override
                public boolean isNonBlocking() {
                    return true;
                }
            };
            return methodId -> methodId == ECHO ? onReceivingThread : null;
        }
        return methodId -> methodId == ECHO ? call -> call.respond(call.requestPayload()) : null;
    }

    /** Runs the measurement and prints the figures. */
    public static void main(String[] args) throws Exception {
        int calls = intArg(args, "calls", 200_000);
        int warmup = intArg(args, "warmup", 50_000);
        int payloadSize = intArg(args, "payload", 16);
        int callers = intArg(args, "callers", 8);
        int window = intArg(args, "window", 32);
        boolean sameJvm = Arrays.asList(args).contains("--same-jvm");
        boolean inline = Arrays.asList(args).contains("--inline");
        int idleSeconds = intArg(args, "idle", 3);
        int yieldWindowMicros = intArg(args, "yield-window-us", -1);
        ShmOptions shmOptions = shmOptions(yieldWindowMicros);
        String label = java.util.Objects.requireNonNull(BenchResult.option(args, "label", "session"));
        String histOut = BenchResult.option(args, "hist-out", null);

        Path dir = Files.createTempDirectory("rapace-rpc-bench");
        Path file = dir.resolve("bench.shm");
        ShmTransport hostTransport = ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT, shmOptions);
        Process child = null;
        RpcSession pluginSession = null;
        RpcSession host = RpcSession.start(hostTransport, SessionOptions.defaults());
        try {
            if (sameJvm) {
                pluginSession = RpcSession.start(ShmTransport.open(file, shmOptions),
                        SessionOptions.defaults().withDispatcher(echoDispatcher(inline)));
            }
            else {
                child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED", "-cp",
                        System.getProperty("java.class.path"), EchoPlugin.class.getName(), file.toString(),
                        Integer.toString(yieldWindowMicros), Boolean.toString(inline))
                        .inheritIO().start();
            }
            byte[] payload = new byte[payloadSize];
            host.call(ECHO, payload, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);  // the peer is up

            System.out.printf(Locale.ROOT, "unary round trip, %d-byte payload, %s, %d calls one at a time:%n",
                    payloadSize, sameJvm ? "one JVM" : "two processes", calls);
            sequential(host, payload, warmup, false);
            Sequential futures = sequential(host, payload, calls, false);
            printLatencies("call(...).get()", futures.latencies());
            sequential(host, payload, warmup, true);
            Sequential blocking = sequential(host, payload, calls, true);
            printLatencies("callBlocking   ", blocking.latencies());

            pipelined(host, payload, callers, warmup / callers, window);
            long start = System.nanoTime();
            pipelined(host, payload, callers, calls / callers, window);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "  %d callers x %d in flight: %.0f calls/s%n", callers, window,
                    (calls / callers) * callers / seconds);

            double idlePercent = -1;
            double firstAfterIdle = -1;
            if (idleSeconds > 0) {
                idlePercent = idleCpu(child, idleSeconds);
                long t0 = System.nanoTime();
                host.callBlocking(ECHO, payload, null);
                firstAfterIdle = (System.nanoTime() - t0) / 1e3;
                System.out.printf(Locale.ROOT, "  first callBlocking after %d s idle: %.1f us%n", idleSeconds,
                        firstAfterIdle);
            }
            BenchResult.named(label + "-callBlocking").latencies(blocking.latencies())
                    .callsPerSecond(calls / blocking.seconds()).idleCpuPercent(idlePercent)
                    .firstAfterIdleMicros(firstAfterIdle).allocatedBytesPerCall(blocking.allocatedPerCall()).print();
            BenchResult.named(label + "-call-get").latencies(futures.latencies())
                    .callsPerSecond(calls / futures.seconds()).allocatedBytesPerCall(futures.allocatedPerCall())
                    .print();
            BenchResult.named(label + "-pipelined-" + callers + "x" + window)
                    .callsPerSecond((calls / callers) * callers / seconds).print();
            BenchResult.writeHistogram(histOut, label + "-callBlocking", blocking.latencies());
        }
        finally {
            host.close(Duration.ZERO);
            if (pluginSession != null) {
                pluginSession.close(Duration.ZERO);
            }
            if (child != null) {
                if (!child.waitFor(10, TimeUnit.SECONDS)) {
                    child.destroyForcibly().waitFor();
                }
            }
            deleteQuietly(file);
            deleteQuietly(dir);
        }
    }

    /** {@code -Drapace.bench.wake=false}: the host runs without the wake extension (so the plugin too). */
    static ShmOptions shmOptions(int yieldWindowMicros) {
        ShmOptions defaults = ShmOptions.defaults()
            .withWakeExtension(Boolean.parseBoolean(System.getProperty("rapace.bench.wake", "true")));
        if (yieldWindowMicros < 0) {
            return defaults;
        }
        Duration window = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(yieldWindowMicros));
        return defaults.withIdleStrategy(() -> BackoffIdleStrategy.withYieldWindow(window));
    }

    /**
     * CPU burnt by this process and the peer (if a child) while the session pair sits idle; returns the
     * peer's share (this process's when there is no child), in % of one core.
     */
    private static double idleCpu(@Nullable Process child, int seconds) throws InterruptedException {
        Thread.sleep(200);  // let the last callbacks and the receive loops settle into their idle state
        long selfStart = cpuNanos(ProcessHandle.current());
        long childStart = child != null ? cpuNanos(child.toHandle()) : 0;
        long start = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        double wall = System.nanoTime() - start;
        double self = (cpuNanos(ProcessHandle.current()) - selfStart) / wall * 100;
        double peer = child != null ? (cpuNanos(child.toHandle()) - childStart) / wall * 100 : 0;
        System.out.printf(Locale.ROOT, "  idle session pair, %d s: host process %.2f %% of one core, plugin process %.2f %%%n",
                seconds, self, peer);
        return child != null ? peer : self;
    }

    private static long cpuNanos(ProcessHandle process) {
        return ProcessCpu.nanos(process.pid());
    }

    /** Sorted latencies, wall time and the calling thread's allocation per call of one sequential round. */
    private record Sequential(long[] latencies, double seconds, double allocatedPerCall) {
    }

    private static Sequential sequential(RpcSession host, byte[] payload, int calls, boolean blocking)
            throws Exception {
        long[] latencies = new long[calls];
        long allocStart = BenchResult.threadAllocatedBytes();
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            if (blocking) {
                host.callBlocking(ECHO, payload, null);
            }
            else {
                host.call(ECHO, payload, null).get(30, TimeUnit.SECONDS);
            }
            latencies[i] = System.nanoTime() - t0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = BenchResult.threadAllocatedBytes() - allocStart;
        Arrays.sort(latencies);
        return new Sequential(latencies, seconds, allocStart < 0 || calls == 0 ? -1 : (double) allocated / calls);
    }

    private static void printLatencies(String label, long[] latencies) {
        System.out.printf(Locale.ROOT, "  %s p50 %.1f us  p90 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us%n",
                label, micros(latencies, 0.50), micros(latencies, 0.90), micros(latencies, 0.99),
                micros(latencies, 0.999), latencies[latencies.length - 1] / 1000.0);
    }

    private static void pipelined(RpcSession host, byte[] payload, int callers, int perCaller, int window) {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                done.add(CompletableFuture.runAsync(() -> {
                    Semaphore permits = new Semaphore(window);
                    for (int i = 0; i < perCaller; i++) {
                        permits.acquireUninterruptibly();
                        host.call(ECHO, payload, null).whenComplete((r, ex) -> permits.release());
                    }
                    permits.acquireUninterruptibly(window);
                }, executor));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        }
    }

    private static double micros(long[] sorted, double quantile) {
        int index = Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1000.0;
    }

    private static int intArg(String[] args, String name, int fallback) {
        String prefix = "--" + name + "=";
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return Integer.parseInt(arg.substring(prefix.length()));
            }
        }
        return fallback;
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("cannot delete " + path, ex);
        }
    }
}
