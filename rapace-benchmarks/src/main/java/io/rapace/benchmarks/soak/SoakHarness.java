package io.rapace.benchmarks.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.ClientOptions;
import io.rapace.transport.shm.TransportStats;

/**
 * Soak of the reliability promises (not a test): a {@link RapaceHost} in this JVM drives {@link SoakPluginMain} in
 * a child JVM with several callers making mixed calls of random sizes both ways (small and large unary payloads,
 * server streams), while a chaos thread stops the plugin ({@code SIGSTOP}) and continues it ({@code SIGCONT}) at
 * random, some stops longer than the 3 s liveness timeout. Every reply is checked byte for byte.
 *
 * <p>Prints calls answered, lost (any call without its correct answer: must be 0), failures by error code, slots
 * and ring descriptors still in use at the end, and the resident set of both processes before and after.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp CLASSPATH io.rapace.benchmarks.soak.SoakHarness
 * [--callers 8] [--calls 1000000] [--max-stop-ms 5000] [--seed N]} ({@code --calls} per caller).
 */
public final class SoakHarness {

    private static final Duration CALL_DEADLINE = Duration.ofSeconds(60);

    private final int callers;

    private final long callsPerCaller;

    private final int maxStopMillis;

    private final long seed;

    private final LongAdder answered = new LongAdder();

    private final LongAdder wrong = new LongAdder();

    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();

    private final AtomicLong stops = new AtomicLong();

    private final AtomicLong longStops = new AtomicLong();

    private SoakHarness(Map<String, String> options) {
        this.callers = Integer.parseInt(options.getOrDefault("callers", "8"));
        this.callsPerCaller = Long.parseLong(options.getOrDefault("calls", "1000000"));
        this.maxStopMillis = Integer.parseInt(options.getOrDefault("max-stop-ms", "5000"));
        this.seed = Long.parseLong(options.getOrDefault("seed", Long.toString(System.nanoTime())));
    }

    /** Runs the soak. */
    public static void main(String[] args) throws Exception {
        new SoakHarness(parse(args)).run();
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new ConcurrentHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private void run() throws Exception {
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SoakPluginMain.class.getName());
        System.out.printf("soak: %d callers x %,d calls, stops up to %d ms, seed %d%n", callers, callsPerCaller,
                maxStopMillis, seed);
        try (RapaceHost host = RapaceHost.builder().command(command).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            SoakService service = host.client(SoakService.class, ClientOptions.defaults().withTimeout(CALL_DEADLINE));
            long pluginPid = host.process().pid();
            warmUp(service);
            long hostRssBefore = rssKiB(ProcessHandle.current().pid());
            long pluginRssBefore = rssKiB(pluginPid);
            AtomicBoolean done = new AtomicBoolean();
            Thread chaos = Thread.ofPlatform().name("soak-chaos").start(() -> chaos(pluginPid, done));
            Thread progress = Thread.ofPlatform().daemon().name("soak-progress").start(() -> progress(done));
            long start = System.nanoTime();
            Thread[] threads = new Thread[callers];
            for (int c = 0; c < callers; c++) {
                SplittableRandom random = new SplittableRandom(seed + c);
                threads[c] = Thread.ofPlatform().name("soak-caller-" + c).start(() -> callLoop(service, random));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            done.set(true);
            chaos.join();
            progress.interrupt();
            TransportStats stats = host.session().transport().stats();
            long total = callers * callsPerCaller;
            long lost = total - answered.sum();
            System.out.printf("calls %,d in %.1f s (%,.0f/s); answered %,d; lost %,d (wrong answers %,d); "
                    + "failures %s%n", total, seconds, total / seconds, answered.sum(), lost, wrong.sum(), failures);
            System.out.printf("plugin stopped %d times (%d longer than 3 s); at the end: slots in use %d of %d, "
                    + "descriptors unread host->plugin %d, plugin->host %d%n", stops.get(), longStops.get(),
                    stats.slotsInUse(), stats.slotCount(), stats.sendRingOccupancy(), stats.receiveRingOccupancy());
            System.out.printf("RSS host %,d -> %,d KiB, plugin %,d -> %,d KiB%n", hostRssBefore,
                    rssKiB(ProcessHandle.current().pid()), pluginRssBefore, rssKiB(pluginPid));
            System.out.printf("RESULT name=soak calls=%d answered=%d lost=%d slots_in_use=%d stops=%d%n", total,
                    answered.sum(), lost, stats.slotsInUse(), stops.get());
        }
    }

    private static void warmUp(SoakService service) {
        for (int i = 0; i < 20_000; i++) {
            service.echo(Patterns.filled(i, i % 512), i, i % 300);
        }
    }

    /** 70% small echoes, 20% large, 9% medium, 1% server streams; every reply checked. */
    private void callLoop(SoakService service, SplittableRandom random) {
        for (long i = 0; i < callsPerCaller; i++) {
            int kind = random.nextInt(100);
            try {
                if (kind < 70) {
                    echo(service, random, 256);
                }
                else if (kind < 90) {
                    echo(service, random, 60 * 1024);
                }
                else if (kind < 99) {
                    echo(service, random, 4096);
                }
                else {
                    burst(service, random);
                }
            }
            catch (RapaceException ex) {
                failures.computeIfAbsent(ex.errorCode().name(), code -> new LongAdder()).increment();
            }
            catch (RuntimeException ex) {
                failures.computeIfAbsent(ex.getClass().getSimpleName(), code -> new LongAdder()).increment();
            }
        }
    }

    private void echo(SoakService service, SplittableRandom random, int maxSize) {
        int seedByte = random.nextInt(256);
        int replySize = random.nextInt(maxSize + 1);
        byte[] reply = service.echo(Patterns.filled(seedByte, random.nextInt(maxSize + 1)), seedByte, replySize);
        count(Patterns.matches(reply, seedByte, replySize));
    }

    private void burst(SoakService service, SplittableRandom random) {
        int count = 1 + random.nextInt(32);
        int size = random.nextInt(8193);
        List<byte[]> items = service.burst(count, size).collectList().block(CALL_DEADLINE);
        boolean right = items != null && items.size() == count;
        for (int i = 0; right && i < count; i++) {
            right = Patterns.matches(items.get(i), i, size);
        }
        count(right);
    }

    private void count(boolean right) {
        if (right) {
            answered.increment();
        }
        else {
            wrong.increment();
        }
    }

    /** Stops the plugin for 10 ms to {@code maxStopMillis} every 0.2 to 3 s until the callers are done. */
    private void chaos(long pid, AtomicBoolean done) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5EED);
        while (!done.get()) {
            sleep(200 + random.nextInt(2800));
            if (done.get() || maxStopMillis <= 0) {
                return;
            }
            int stopMillis = 10 + random.nextInt(Math.max(1, maxStopMillis - 10));
            signal("-STOP", pid);
            try {
                sleep(stopMillis);
            }
            finally {
                signal("-CONT", pid);
            }
            stops.incrementAndGet();
            if (stopMillis > 3000) {
                longStops.incrementAndGet();
            }
        }
    }

    private void progress(AtomicBoolean done) {
        while (!done.get()) {
            try {
                Thread.sleep(10_000);
            }
            catch (InterruptedException ex) {
                return;
            }
            System.out.printf("  ... answered %,d, wrong %,d, failures %s, stops %d%n", answered.sum(), wrong.sum(),
                    failures, stops.get());
        }
    }

    private static void signal(String signal, long pid) {
        try {
            int exit = new ProcessBuilder("kill", signal, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                System.err.println("kill " + signal + " " + pid + " exited " + exit);
            }
        }
        catch (IOException ex) {
            throw new IllegalStateException("cannot run kill " + signal + " " + pid, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /** The resident set of a process from {@code /proc/PID/status}, -1 when it cannot be read. */
    private static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        catch (IOException | NumberFormatException ex) {
            return -1;
        }
        return -1;
    }
}
