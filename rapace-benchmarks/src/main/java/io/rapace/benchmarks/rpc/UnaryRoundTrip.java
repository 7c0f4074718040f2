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

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * Unary round-trip figures through {@link RpcSession}: latency percentiles of one caller making one call
 * at a time, then the throughput of several pipelining callers. By default the echo server runs in a
 * child JVM ({@link EchoPlugin}); {@code --same-jvm} runs both sessions in this process.
 *
 * <pre>
 * java -cp ... io.rapace.benchmarks.rpc.UnaryRoundTrip [--calls=200000] [--warmup=50000] [--payload=16]
 *      [--callers=8] [--window=32] [--same-jvm]
 * </pre>
 */
public final class UnaryRoundTrip {

    /** The echo method id used by both sides. */
    static final int ECHO = 1;

    private UnaryRoundTrip() {
    }

    static Dispatcher echoDispatcher() {
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

        Path dir = Files.createTempDirectory("rapace-rpc-bench");
        Path file = dir.resolve("bench.shm");
        ShmTransport hostTransport = ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        Process child = null;
        RpcSession pluginSession = null;
        RpcSession host = RpcSession.start(hostTransport, SessionOptions.defaults());
        try {
            if (sameJvm) {
                pluginSession = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()),
                        SessionOptions.defaults().withDispatcher(echoDispatcher()));
            }
            else {
                child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                        System.getProperty("java.class.path"), EchoPlugin.class.getName(), file.toString())
                        .inheritIO().start();
            }
            byte[] payload = new byte[payloadSize];
            host.call(ECHO, payload, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS);  // the peer is up

            sequential(host, payload, warmup);
            long[] latencies = sequential(host, payload, calls);
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "unary round trip, %d-byte payload, %s, %d calls one at a time:%n",
                    payloadSize, sameJvm ? "one JVM" : "two processes", calls);
            System.out.printf(Locale.ROOT, "  p50 %.1f us  p90 %.1f us  p99 %.1f us  p99.9 %.1f us  max %.1f us%n",
                    micros(latencies, 0.50), micros(latencies, 0.90), micros(latencies, 0.99), micros(latencies, 0.999),
                    latencies[latencies.length - 1] / 1000.0);

            pipelined(host, payload, callers, warmup / callers, window);
            long start = System.nanoTime();
            pipelined(host, payload, callers, calls / callers, window);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "  %d callers x %d in flight: %.0f calls/s%n", callers, window,
                    (calls / callers) * callers / seconds);
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

    private static long[] sequential(RpcSession host, byte[] payload, int calls) throws Exception {
        long[] latencies = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            host.call(ECHO, payload, null).get(30, TimeUnit.SECONDS);
            latencies[i] = System.nanoTime() - t0;
        }
        return latencies;
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
