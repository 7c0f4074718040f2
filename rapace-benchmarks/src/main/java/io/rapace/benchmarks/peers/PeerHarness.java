package io.rapace.benchmarks.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rapace.benchmarks.report.ProcessCpu;
import org.jspecify.annotations.Nullable;

/**
 * What the three comparison peers share: options, the child process (spawn, readiness, CPU time
 * from {@code /proc}, death with the parent), the measured run and its printing.
 *
 * <p>Options every peer takes: {@code --calls=N} measured round trips, {@code --warmup=N} round trips
 * before them, {@code --idle-seconds=S} how long the pair sits idle before the first-after-idle call,
 * {@code --hist-out=FILE} write the percentile curve as {@code percentile,us} lines.
 *
 * <p>Output: human lines, then exactly one line
 * {@code RESULT name=... p50_us=... p99_us=... p999_us=... calls_per_s=... idle_cpu_pct=...
 * first_after_idle_us=... startup_ms=... alloc_b_per_call=... gbps=...} ({@code -} where not applicable).
 *
 * <p>Child protocol: the child prints {@code READY} on its standard output once it serves, and exits
 * when its standard input reaches end of file, so it dies with the parent however the parent dies.
 */
final class PeerHarness {

    /** Percentiles of the {@code --hist-out} curve; {@code 100} is written as {@code max}. */
    private static final double[] CURVE = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99, 100};

    private PeerHarness() {
    }

    /** Parsed command line: the common options plus any {@code --key=value} a peer reads itself. */
    record Options(int calls, int warmup, int idleSeconds, @Nullable Path histOut, Map<String, String> extra) {

        static Options parse(String[] args, int calls, int warmup, int idleSeconds) {
            Map<String, String> map = new HashMap<>();
            for (String arg : args) {
                if (!arg.startsWith("--")) {
                    throw new IllegalArgumentException("not an option: " + arg);
                }
                int eq = arg.indexOf('=');
                map.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
            }
            int n = Integer.parseInt(map.getOrDefault("calls", Integer.toString(calls)));
            int w = Integer.parseInt(map.getOrDefault("warmup", Integer.toString(warmup)));
            int s = Integer.parseInt(map.getOrDefault("idle-seconds", Integer.toString(idleSeconds)));
            String hist = map.get("hist-out");
            return new Options(n, w, s, hist == null ? null : Path.of(hist), map);
        }

        String get(String key, String fallback) {
            return extra.getOrDefault(key, fallback);
        }
    }

    /** One round trip of the tiny call: sends (a, b), returns the reply. */
    @FunctionalInterface
    interface Call {
        int add(int a, int b) throws Exception;
    }

    // ---------------------------------------------------------------- child side

    /** In the child: exit (running shutdown hooks) when the parent closes our stdin or dies. */
    static void exitWhenParentGoes() {
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // the parent never writes; anything read is ignored
                }
            }
            catch (IOException ignored) {
                // a broken pipe means the same as end of file
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** In the child: tells the parent the server serves. */
    static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    // ---------------------------------------------------------------- parent side

    /** A child JVM running {@code main} with the parent's java and class path. */
    static final class Child implements AutoCloseable {

        private final Process process;
        private final long launchedNanos;
        private final BufferedReader out;
        private final Thread hook;

        private Child(Process process, long launchedNanos) {
            this.process = process;
            this.launchedNanos = launchedNanos;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.hook = new Thread(process::destroyForcibly, "kill-child");
            Runtime.getRuntime().addShutdownHook(hook);
        }

        static Child spawn(Class<?> main, List<String> jvmArgs, String... args) throws IOException {
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(jvmArgs);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(main.getName());
            command.addAll(Arrays.asList(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
            long launched = System.nanoTime();
            return new Child(builder.start(), launched);
        }

        /** {@link System#nanoTime()} just before the launch. */
        long launchedNanos() {
            return launchedNanos;
        }

        long pid() {
            return process.pid();
        }

        /** Blocks until the child prints {@code READY}, then forwards the rest of its output. */
        void awaitReady() throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("READY")) {
                    Thread pump = new Thread(this::forward, "child-out");
                    pump.setDaemon(true);
                    pump.start();
                    return;
                }
                System.out.println("[child] " + line);
            }
            throw new IOException("child exited before READY, status " + waitQuietly());
        }

        private void forward() {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[child] " + line);
                }
            }
            catch (IOException ignored) {
                // child gone
            }
        }

        /** User plus system CPU time of the whole child process so far, in nanoseconds. */
        long cpuNanos() {
            return ProcessCpu.nanos(process.pid());
        }

        private int waitQuietly() {
            try {
                return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        /** Closes the child's stdin (it exits by itself), then kills it if it lingers. */
        @Override
        public void close() {
            try {
                process.getOutputStream().close();
            }
            catch (IOException ignored) {
                // already gone
            }
            if (waitQuietly() < 0) {
                process.destroyForcibly();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
            catch (IllegalStateException ignored) {
                // already shutting down: the hook kills it
            }
        }
    }

    // ---------------------------------------------------------------- the measured run

    /**
     * Warm-up, measured loop, idle period, first call after idle; prints the human lines and the
     * {@code RESULT} line. {@code startupNanos} is child launch to first answer, measured by the peer.
     */
    static void run(String name, Options options, Child child, long startupNanos, Call call) throws Exception {
        System.out.printf(Locale.ROOT, "%s: JDK %s, %d CPUs, load average %s%n", name, Runtime.version(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        for (int i = 0; i < options.warmup(); i++) {
            check(call.add(i, 1), i + 1);
        }
        long[] samples = new long[options.calls()];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocBefore = threads.getCurrentThreadAllocatedBytes();
        long start = System.nanoTime();
        for (int i = 0; i < samples.length; i++) {
            long t0 = System.nanoTime();
            int r = call.add(i, 7);
            long t1 = System.nanoTime();
            samples[i] = t1 - t0;
            if (r != i + 7) {
                check(r, i + 7);
            }
        }
        long elapsed = System.nanoTime() - start;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocBefore;
        Arrays.sort(samples);

        long childCpu0 = child.cpuNanos();
        long selfCpu0 = ProcessCpu.nanos(ProcessHandle.current().pid());
        long idle0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(options.idleSeconds()));
        long idleWall = System.nanoTime() - idle0;
        double childIdle = 100.0 * (child.cpuNanos() - childCpu0) / idleWall;
        double selfIdle = 100.0 * (ProcessCpu.nanos(ProcessHandle.current().pid()) - selfCpu0) / idleWall;
        long f0 = System.nanoTime();
        int first = call.add(40, 2);
        long firstAfterIdle = System.nanoTime() - f0;
        check(first, 42);

        double callsPerSecond = samples.length / (elapsed / 1e9);
        double allocPerCall = (double) allocated / samples.length;
        System.out.printf(Locale.ROOT, "%s: %,d calls after %,d warm-up: p50 %.2f us  p99 %.2f us  p99.9 %.2f us  "
                + "max %.2f us  %,.0f calls/s%n", name, samples.length, options.warmup(), micros(samples, 50),
                micros(samples, 99), micros(samples, 99.9), micros(samples, 100), callsPerSecond);
        System.out.printf(Locale.ROOT, "%s: idle %d s: server child %.2f %% of one core, this (client) process "
                + "%.2f %%; first call after idle %.1f us%n", name, options.idleSeconds(), childIdle, selfIdle,
                firstAfterIdle / 1e3);
        System.out.printf(Locale.ROOT, "%s: startup (child launch -> first answer) %.1f ms; %.1f bytes allocated "
                + "per call on the calling thread%n", name, startupNanos / 1e6, allocPerCall);
        System.out.printf(Locale.ROOT, "RESULT name=%s p50_us=%.2f p99_us=%.2f p999_us=%.2f calls_per_s=%.0f "
                + "idle_cpu_pct=%.2f first_after_idle_us=%.1f startup_ms=%.1f alloc_b_per_call=%.1f gbps=-%n",
                name, micros(samples, 50), micros(samples, 99), micros(samples, 99.9), callsPerSecond, childIdle,
                firstAfterIdle / 1e3, startupNanos / 1e6, allocPerCall);
        Path hist = options.histOut();
        if (hist != null) {
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(hist, StandardCharsets.UTF_8))) {
                w.println("percentile,us");
                for (double p : CURVE) {
                    w.printf(Locale.ROOT, "%s,%.3f%n", p == 100 ? "max" : stripZero(p), micros(samples, p));
                }
            }
            System.out.println(name + ": percentile curve written to " + hist);
        }
    }

    /** Nearest-rank percentile of sorted nanosecond samples, in microseconds. */
    static double micros(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.clamp(rank - 1, 0, sorted.length - 1)] / 1e3;
    }

    private static String stripZero(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static void check(int got, int expected) {
        if (got != expected) {
            throw new IllegalStateException("reply " + got + ", expected " + expected);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException e) {
            return "n/a";
        }
    }
}
