package io.rapace.benchmarks.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.rapace.benchmarks.report.ProcessCpu;
import io.rapace.benchmarks.report.ThreadTimes;
import io.rapace.transport.shm.BackoffIdleStrategy;
import io.rapace.transport.shm.IdleStrategy;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * Idle cost against wake-up latency of a receiver, two processes: this JVM is the host and runs a
 * session-like receive loop ({@code receive(handler, 64, 50 ms)} forever); a child JVM
 * ({@link IdleCurvePeer}) stays idle for {@code --idle} seconds, then sends one frame carrying its
 * {@link System#nanoTime()}, {@code --rounds} times. For each configuration it prints the whole host
 * process's CPU while idle (sum of {@code /proc/self/task/* /schedstat}, every thread: receive loop,
 * heartbeat, JVM) as a percentage of one core, and the wake-up latency (send → our receive) of the
 * first frame after each idle period.
 *
 * <p>Configurations: {@code park=X} — wake extension off on both sides (as against a v0.3 peer),
 * {@link BackoffIdleStrategy} whose parks grow to X ms during the long idle; {@code default} — the
 * default strategy, extension off; {@code wake} — the defaults with the extension on in both JVMs.
 *
 * <p>Options: {@code --idle=S} (10), {@code --rounds=N} (3), {@code --configs=park=0.5,park=1,...},
 * {@code --receive-timeout-ms=N} (50, the session's), {@code --threads} (each host thread's CPU in the
 * last idle window).
 * Run with {@code --enable-native-access=ALL-UNNAMED} (the child gets it too).
 */
public final class IdleCurve {

    /** The receive loop's timeout per call: the session's 50 ms unless {@code --receive-timeout-ms=N}. */
    private static long receiveTimeout = TimeUnit.MILLISECONDS.toNanos(50);

    /** {@code --threads}: also print each thread's share of the last idle window. */
    private static boolean threads;

    private IdleCurve() {
    }

    /** Runs every configuration and prints the table. */
    public static void main(String[] args) throws Exception {
        int idleSeconds = 10;
        int rounds = 3;
        List<String> configs = List.of("park=0.5", "park=1", "park=2", "park=4", "park=8", "default", "wake");
        for (String arg : args) {
            if (arg.equals("--threads")) {
                threads = true;
            }
            else if (arg.startsWith("--receive-timeout-ms=")) {
                receiveTimeout = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(arg.substring("--receive-timeout-ms=".length())));
            }
            else if (arg.startsWith("--idle=")) {
                idleSeconds = Integer.parseInt(arg.substring("--idle=".length()));
            }
            else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(arg.substring("--rounds=".length()));
            }
            else if (arg.startsWith("--configs=")) {
                configs = Arrays.asList(arg.substring("--configs=".length()).split(","));
            }
        }
        System.out.printf(Locale.ROOT, "idle %d s x %d rounds per configuration; receive timeout %d ms; nproc=%d; "
                + "load average %s%n", idleSeconds, rounds, TimeUnit.NANOSECONDS.toMillis(receiveTimeout),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "%-10s | %-6s | %18s | %14s | %14s | %14s | %s%n", "config", "ext", "host idle CPU %core",
                "wake-up min", "wake-up median", "wake-up max", "peer idle CPU %core");
        for (String config : configs) {
            run(config, idleSeconds, rounds);
        }
    }

    private static void run(String config, int idleSeconds, int rounds) throws Exception {
        boolean wake = config.equals("wake");
        Supplier<IdleStrategy> idle;
        if (config.startsWith("park=")) {
            long max = (long) (Double.parseDouble(config.substring("park=".length())) * 1_000_000);
            long shortMax = Math.min(max, BackoffIdleStrategy.DEFAULT_MAX_PARK_NANOS);
            idle = () -> new BackoffIdleStrategy(BackoffIdleStrategy.DEFAULT_MAX_SPINS,
                    BackoffIdleStrategy.DEFAULT_MAX_YIELDS, BackoffIdleStrategy.DEFAULT_YIELD_WINDOW_NANOS,
                    Math.min(BackoffIdleStrategy.DEFAULT_MIN_PARK_NANOS, max), shortMax, max);
        }
        else {
            idle = BackoffIdleStrategy::new;
        }
        ShmOptions options = ShmOptions.defaults().withIdleStrategy(idle).withWakeExtension(wake);
        Path dir = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = dir.resolve("rapace-idle-" + ProcessHandle.current().pid() + ".shm");
        Path log = Files.createTempFile("rapace-idle-peer", ".log");
        Process peer = null;
        try (ShmTransport host = ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT, options)) {
            peer = startPeer(file, idleSeconds, rounds, log);
            Window window = new Window(rounds);
            while (!window.quit) {
                int got = host.receive(window, 64, receiveTimeout);
                if (got == 0 && !peer.isAlive()) {
                    throw new IllegalStateException("peer exited early:\n" + Files.readString(log));
                }
            }
            long[] latencies = window.latencies;
            long cpuNanos = window.cpuNanos;
            long wallNanos = window.wallNanos;
            java.util.Map<String, Long> perThreadStart = window.perThreadStart;
            java.util.Map<String, Long> perThreadEnd = window.perThreadEnd;
            if (!wake && host.wakeExtensionActive()) {
                throw new IllegalStateException("extension unexpectedly active");
            }
            boolean active = host.wakeExtensionActive();
            peer.waitFor(30, TimeUnit.SECONDS);
            String peerCpu = Files.readAllLines(log).stream().filter(l -> l.startsWith("PEER CPU "))
                    .map(l -> l.substring("PEER CPU ".length())).findFirst().orElse("? " + Files.readString(log));
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "%-10s | %-6s | %18.3f | %14s | %14s | %14s | %s%n", config,
                    active ? "on" : "off", 100.0 * cpuNanos / wallNanos, micros(latencies[0]),
                    micros(latencies[rounds / 2]), micros(latencies[rounds - 1]), peerCpu);
            if (threads) {
                for (var entry : perThreadEnd.entrySet()) {
                    long delta = entry.getValue() - perThreadStart.getOrDefault(entry.getKey(), 0L);
                    if (delta > 0) {
                        System.out.printf(Locale.ROOT, "    %-40s %8.3f ms%n", entry.getKey(), delta / 1e6);
                    }
                }
            }
        }
        finally {
            if (peer != null) {
                peer.destroyForcibly();
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(log);
        }
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.0f µs", nanos / 1000.0);
    }

    /** On-CPU time of this process (every thread), in ns. */
    static long processCpuNanos() {
        return ProcessCpu.nanos(ProcessHandle.current().pid());
    }

    /** Receives the peer's stamps: wake-up latency per frame, CPU and wall time between frames. */
    private static final class Window implements io.rapace.transport.shm.FrameHandler {

        final long[] latencies;
        final int rounds;
        long cpuNanos;
        long wallNanos;
        boolean quit;
        java.util.Map<String, Long> perThreadStart = java.util.Map.of();
        java.util.Map<String, Long> perThreadEnd = java.util.Map.of();
        /** -1 until the first stamp, which ends the warm-up window (not counted). */
        private int received = -1;
        private long cpuStart;
        private long wallStart;

        Window(int rounds) {
            this.rounds = rounds;
            this.latencies = new long[rounds];
        }

        @Override
        public void onFrame(io.rapace.transport.shm.Frame frame) {
            long now = System.nanoTime();
            if (frame.methodId() == IdleCurvePeer.QUIT) {
                quit = true;
                return;
            }
            if (frame.methodId() == IdleCurvePeer.WARM) {
                return;
            }
            long sent = frame.payload().get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 0);
            try {
                long cpu = processCpuNanos();
                if (received >= 0 && received < rounds) {
                    latencies[received] = now - sent;
                    cpuNanos += cpu - cpuStart;
                    wallNanos += now - wallStart;
                    if (threads && received == rounds - 1) {
                        perThreadEnd = perThreadCpu();
                    }
                }
                received++;
                if (threads && received == rounds - 1) {
                    perThreadStart = perThreadCpu();
                }
                cpuStart = processCpuNanos();
                wallStart = System.nanoTime();
            }
            catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }
    }

    /** On-CPU ns per live thread, keyed by "tid name". */
    private static java.util.Map<String, Long> perThreadCpu() throws IOException {
        java.util.Map<String, Long> result = new java.util.TreeMap<>();
        for (ThreadTimes.ThreadTime thread : ThreadTimes.ofSelf()) {
            result.put(thread.tid() + " " + thread.name(), thread.cpuNanos());
        }
        return result;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        }
        catch (IOException ex) {
            return "?";
        }
    }

    private static Process startPeer(Path file, int idleSeconds, int rounds, Path log) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), IdleCurvePeer.class.getName(), file.toString(),
                Integer.toString(idleSeconds), Integer.toString(rounds)));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
