package io.rapace.benchmarks.rpc;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

import io.rapace.benchmarks.report.BenchResult;
import io.rapace.benchmarks.report.ThreadTimes;
import io.rapace.core.runtime.RapaceHost;

/**
 * Where an idle host and its plugin spend their CPU, thread by thread: a host written against the public API only
 * ({@link RapaceHost} and a typed client, as an independent host would be) launches a plugin command with defaults,
 * makes {@code --calls} typed {@code add} calls, waits two seconds, then sits idle for {@code --seconds}. Prints each
 * process's CPU over the idle period in % of a core and, per thread that used more than 1 ms, its share and its
 * wake-ups (context switches), from {@code /proc/<pid>/task/<tid>/schedstat} (Linux); then the first call after
 * the idle period.
 *
 * <pre>
 * java -cp rapace-benchmarks.jar io.rapace.benchmarks.rpc.IdleThreads --plugin-cmd=sample-plugin-app/target/sample-plugin-app
 *      [--calls=200000] [--seconds=20]
 * </pre>
 */
public final class IdleThreads {

    private IdleThreads() {
    }

    /** Runs the measurement; see the class comment for the options. */
    public static void main(String[] args) throws Exception {
        String command = BenchResult.option(args, "plugin-cmd", null);
        if (command == null) {
            throw new IllegalArgumentException("--plugin-cmd=COMMAND is required (the plugin to launch)");
        }
        int calls = Integer.parseInt(java.util.Objects.requireNonNull(BenchResult.option(args, "calls", "200000")));
        double seconds = Double.parseDouble(java.util.Objects.requireNonNull(BenchResult.option(args, "seconds", "20")));
        try (RapaceHost host = RapaceHost.builder().command(command.split(" ")).start()) {
            Calculator calculator = host.client(Calculator.class);
            for (int i = 0; i < calls; i++) {
                calculator.add(i, 1);
            }
            long self = ProcessHandle.current().pid();
            long plugin = host.process().pid();
            Thread.sleep(2_000);
            Map<String, long[]> hostBefore = threads(self);
            Map<String, long[]> pluginBefore = threads(plugin);
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1_000));
            double idle = (System.nanoTime() - start) / 1e9;
            Map<String, long[]> hostAfter = threads(self);
            Map<String, long[]> pluginAfter = threads(plugin);
            long callStart = System.nanoTime();
            calculator.add(1, 2);
            double firstMicros = (System.nanoTime() - callStart) / 1e3;
            System.out.printf("idle %.1f s: host %.3f %% of a core, plugin %.3f %%; first call after it %.1f µs%n", idle,
                    report("host", hostBefore, hostAfter, idle), report("plugin", pluginBefore, pluginAfter, idle),
                    firstMicros);
        }
    }

    /** Prints the threads of one process that used more than 1 ms; returns the process's share of a core in %. */
    private static double report(String who, Map<String, long[]> before, Map<String, long[]> after, double seconds) {
        long total = 0;
        for (Map.Entry<String, long[]> thread : after.entrySet()) {
            long[] earlier = before.get(thread.getKey());
            if (earlier == null) {
                continue;
            }
            long cpu = thread.getValue()[0] - earlier[0];
            long wakes = thread.getValue()[1] - earlier[1];
            total += cpu;
            if (cpu > 1_000_000) {
                System.out.printf("  %-6s %-34s %.3f %% %6d wake-ups%n", who, thread.getKey(), cpu / 1e7 / seconds, wakes);
            }
        }
        return total / 1e7 / seconds;
    }

    /** Each thread of {@code pid} (name#tid) with its CPU time (ns) and its context switches. */
    private static Map<String, long[]> threads(long pid) throws IOException {
        Map<String, long[]> threads = new TreeMap<>();
        for (ThreadTimes.ThreadTime thread : ThreadTimes.of(pid)) {
            threads.put(thread.name() + "#" + thread.tid(), new long[] {thread.cpuNanos(), thread.switches()});
        }
        return threads;
    }
}
