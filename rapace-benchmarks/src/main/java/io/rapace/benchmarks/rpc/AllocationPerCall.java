package io.rapace.benchmarks.rpc;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.Services;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * Bytes allocated per typed call, both sides together: a host and a plugin session in this JVM over one
 * real segment in {@code /dev/shm}, {@link TypedCalculator#add} through a typed client, one caller. Reads
 * the JVM's total allocated bytes (all threads, also those that ended) around the measured calls, so it
 * counts the caller, both receive loops and any helper threads; the figure is not a time and does not
 * depend on the machine's load.
 *
 * <p>Usage: {@code java -cp CLASSPATH io.rapace.benchmarks.rpc.AllocationPerCall [calls] [warmupCalls]}.
 * Prints a human line and a {@code RESULT} line.
 */
public final class AllocationPerCall {

    private AllocationPerCall() {
    }

    /** Runs the measurement. */
    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path file = Files.createTempFile(Path.of("/dev/shm"), "rapace-alloc-", ".shm");
        TypedCalculator implementation = Integer::sum;
        RpcSession host = RpcSession.start(ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults()),
                SessionOptions.defaults());
        RpcSession plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()),
                SessionOptions.defaults().withDispatcher(Services.dispatcher(
                        Services.define(new Object[] {new Calculator(implementation)}))));
        try {
            TypedCalculator client = RapaceClients.create(TypedCalculator.class, host);
            run(client, warmup);
            long before = threads.getTotalThreadAllocatedBytes();
            long start = System.nanoTime();
            run(client, calls);
            long elapsed = System.nanoTime() - start;
            long bytes = threads.getTotalThreadAllocatedBytes() - before;
            double perCall = (double) bytes / calls;
            System.out.printf("typed add, host and plugin in one JVM: %,d calls, %.0f bytes allocated per call "
                    + "(both sides, all threads), %,.0f calls/s%n", calls, perCall, calls * 1e9 / elapsed);
            System.out.printf("RESULT name=alloc-typed-add p50_us=- p99_us=- p999_us=- calls_per_s=- idle_cpu_pct=- "
                    + "first_after_idle_us=- startup_ms=- alloc_b_per_call=%.0f gbps=-%n", perCall);
        }
        finally {
            plugin.close(Duration.ZERO);
            host.close(Duration.ZERO);
            Files.deleteIfExists(file);
        }
    }

    private static void run(TypedCalculator client, int calls) {
        for (int i = 0; i < calls; i++) {
            if (client.add(i, 1) != i + 1) {
                throw new IllegalStateException("wrong answer for " + i);
            }
        }
    }

    /** A named implementation class (a lambda's class cannot carry the service's annotations). */
    private record Calculator(TypedCalculator delegate) implements TypedCalculator {

        @Override
        public int add(int a, int b) {
            return this.delegate.add(a, b);
        }
    }
}
