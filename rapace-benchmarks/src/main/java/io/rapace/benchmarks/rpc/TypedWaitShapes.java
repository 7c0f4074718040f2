package io.rapace.benchmarks.rpc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;

import io.rapace.core.service.NonBlocking;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import reactor.core.publisher.Mono;

/**
 * What a typed call costs when the caller waits for it, by return shape: a plain value, {@code CompletableFuture}
 * then {@code get()}, {@code Mono} then {@code block()}. Two sessions over one mapped file in this JVM, the
 * implementation {@code @NonBlocking}; one caller, one call at a time. Prints the percentiles of each shape.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp rapace-benchmarks.jar io.rapace.benchmarks.rpc.TypedWaitShapes [calls] [warmup]
 * </pre>
 */
public final class TypedWaitShapes {

    /** The service, in its three shapes. */
    @RapaceService("WaitShapes")
    public interface WaitShapes {

        /** The sum, as a plain value. */
        @NonBlocking
        int add(int a, int b);

        /** The sum, through a future. */
        @NonBlocking
        CompletableFuture<Integer> addLater(int a, int b);

        /** The sum, through a {@code Mono}. */
        @NonBlocking
        Mono<Integer> addMono(int a, int b);
    }

    private TypedWaitShapes() {
    }

    /** Runs the harness. */
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 30_000;
        Path directory = Files.createTempDirectory("rapace-wait-shapes");
        Path file = directory.resolve("wait-shapes.shm");
        WaitShapes served = new WaitShapes() {
            @Override
            public int add(int a, int b) {
                return a + b;
            }

            @Override
            public CompletableFuture<Integer> addLater(int a, int b) {
                return CompletableFuture.completedFuture(a + b);
            }

            @Override
            public Mono<Integer> addMono(int a, int b) {
                return Mono.just(a + b);
            }
        };
        try (RpcSession host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32),
                ShmOptions.defaults()), SessionOptions.defaults());
                RpcSession plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()),
                        SessionOptions.defaults().withDispatcher(
                                ServiceDefinition.of(WaitShapes.class, served).dispatcher()))) {
            WaitShapes client = RapaceClients.create(WaitShapes.class, host);
            measure("value", calls, warmup, i -> client.add(i, 1));
            measure("future-get", calls, warmup, i -> client.addLater(i, 1).join());
            measure("mono-block", calls, warmup, i -> client.addMono(i, 1).block(Duration.ofSeconds(30)));
            plugin.close(Duration.ZERO);
        }
        finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(directory);
        }
    }

    private static void measure(String shape, int calls, int warmup, IntUnaryOperator call) {
        for (int i = 0; i < warmup; i++) {
            check(call.applyAsInt(i), i);
        }
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long start = System.nanoTime();
            int sum = call.applyAsInt(i);
            nanos[i] = System.nanoTime() - start;
            check(sum, i);
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-11s p50 %.2f us  p90 %.2f us  p99 %.2f us%n", shape, micros(nanos, 0.5),
                micros(nanos, 0.9), micros(nanos, 0.99));
    }

    private static void check(int sum, int i) {
        if (sum != i + 1) {
            throw new AssertionError("unexpected sum " + sum + " for " + i + " + 1");
        }
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1000.0;
    }
}
