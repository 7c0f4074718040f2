package io.rapace.benchmarks.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.rapace.benchmarks.report.BenchResult;

/**
 * The floor of a first call after idle between two JVMs, the Java twin of {@code refpeer wakefloor}: this JVM
 * starts a second one that sleeps in {@code FUTEX_WAIT} on a word of a shared file and answers each request at
 * once; this one, after {@code --warmup} calls back to back (so that both sides' code is compiled), makes
 * {@code --rounds} calls, each after {@code --gap-ms} of idleness, and spins for each answer after waking the
 * sleeper. No rapace code runs: what is measured is the wake-up of an idle thread in a JVM and the JIT state
 * of code that runs once per idle period, the least a first call after idle costs a Java peer on this machine.
 *
 * <p>Prints every round and a {@code RESULT} line whose {@code first_after_idle_us} is the median round. The
 * protocol and layout are {@code refpeer wakefloor}'s (four 32-bit words: the futex sequence, "waiting",
 * request, answer): the sleeper publishes "waiting", re-checks the request, then waits on the sequence the
 * caller bumps before its {@code FUTEX_WAKE}, so no wake-up is lost.
 *
 * <pre>
 * java -cp rapace-benchmarks.jar io.rapace.benchmarks.transport.WakeFloor [--rounds=N] [--gap-ms=G] [--warmup=W]
 *      [--wait=spin|yield] [--label=NAME] [--dir=DIR]
 * </pre>
 *
 * <p>{@code --wait=yield} makes the caller yield its core between looks for the answer instead of spinning, as this
 * project's caller does after waking a sleeping peer: the kernel then runs the woken sleeper on the caller's core, where
 * a spinning caller leaves it to wait for another, possibly idle, processor.
 *
 * <p>The shared file is made in {@code --dir} ({@code /dev/shm} where it exists, else {@code /tmp}) and deleted at
 * the end, also when a round fails.
 */
public final class WakeFloor {

    private static final long SEQ = 0;

    private static final long WAITING = 4;

    private static final long REQUEST = 8;

    private static final long ANSWER = 12;

    private static final int STOP = -1;

    /** How long a caller waits for one answer before it declares the sleeper lost. */
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    private WakeFloor() {
    }

    /**
     * {@code [--rounds=N] [--gap-ms=G] [--warmup=W] [--wait=spin|yield] [--label=NAME] [--dir=DIR]}, or
     * {@code --serve=PATH} (the sleeper).
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String serve = BenchResult.option(args, "serve", null);
        if (serve != null) {
            serve(Path.of(serve));
            return;
        }
        int rounds = Integer.parseInt(BenchResult.option(args, "rounds", "10"));
        long gapMillis = Long.parseLong(BenchResult.option(args, "gap-ms", "2000"));
        int warmup = Integer.parseInt(BenchResult.option(args, "warmup", "20000"));
        String label = BenchResult.option(args, "label", "wake-floor-java");
        String wait = BenchResult.option(args, "wait", "spin");
        if (!wait.equals("spin") && !wait.equals("yield")) {
            throw new IllegalArgumentException("--wait must be spin or yield, got " + wait);
        }
        boolean yielding = wait.equals("yield");
        String defaultDirectory = Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : "/tmp";
        Path directory = Path.of(BenchResult.option(args, "dir", defaultDirectory));
        if (rounds <= 0 || gapMillis <= 0 || warmup < 0) {
            throw new IllegalArgumentException("--rounds and --gap-ms must be positive, --warmup not negative");
        }
        long[] micros = measure(directory, rounds, gapMillis, warmup, yielding);
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "wake floor (java, %s): gap %d ms, %d rounds (us): %s; median %d%n", wait,
                gapMillis, rounds, Arrays.stream(micros).mapToObj(Long::toString).collect(Collectors.joining(" ")),
                sorted[rounds / 2]);
        BenchResult.named(label).firstAfterIdleMicros(sorted[rounds / 2]).print();
    }

    private static long[] measure(Path directory, int rounds, long gapMillis, int warmup, boolean yielding)
            throws IOException, InterruptedException {
        Path file = Files.createTempFile(directory, "rapace-wake-floor-", ".shm");
        Process sleeper = null;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofShared()) {
            MemorySegment words = channel.map(FileChannel.MapMode.READ_WRITE, 0, 64, arena);
            sleeper = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    WakeFloor.class.getName(), "--serve=" + file)).inheritIO().start();
            int request = 0;
            for (int i = 0; i < warmup; i++) {
                call(words, ++request, sleeper, yielding);
            }
            long[] micros = new long[rounds];
            for (int round = 0; round < rounds; round++) {
                Thread.sleep(gapMillis);
                long start = System.nanoTime();
                call(words, ++request, sleeper, yielding);
                micros[round] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            }
            publish(words, STOP);
            if (!sleeper.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the sleeper did not exit after the stop request");
            }
            return micros;
        }
        finally {
            if (sleeper != null) {
                sleeper.destroyForcibly();
            }
            Files.deleteIfExists(file);
        }
    }

    /** Publishes {@code request} and spins for its answer, or yields between looks with {@code yielding}. */
    private static void call(MemorySegment words, int request, Process sleeper, boolean yielding) throws IOException {
        publish(words, request);
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        while ((int) WORD.getVolatile(words, ANSWER) != request) {  // pairs with the sleeper's volatile answer
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("no answer to request " + request + " within "
                        + TimeUnit.NANOSECONDS.toSeconds(ANSWER_TIMEOUT_NANOS) + " s; the sleeper "
                        + (sleeper.isAlive() ? "runs" : "exited with " + sleeper.exitValue()));
            }
            if (yielding) {
                Thread.yield();
            }
            else {
                Thread.onSpinWait();
            }
        }
    }

    /** Publishes {@code request} (a call, or {@link #STOP}) and wakes the sleeper if it sleeps. */
    private static void publish(MemorySegment words, int request) throws IOException {
        WORD.setVolatile(words, REQUEST, request);  // volatile (a full fence after): ordered before reading WAITING
        if ((int) WORD.getVolatile(words, WAITING) != 0) {
            WORD.getAndAdd(words, SEQ, 1);  // the sleeper's FUTEX_WAIT then finds the sequence moved
            futex(words, LinuxFutex.WAKE, 1, MemorySegment.NULL);
        }
    }

    /**
     * The sleeper: answers every request at once, sleeping in the kernel between them, at most a second at a time;
     * exits, deleting the shared file, when the JVM that started it is gone (killed before it could do either).
     */
    private static void serve(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             Arena arena = Arena.ofShared()) {
            MemorySegment words = channel.map(FileChannel.MapMode.READ_WRITE, 0, 64, arena);
            MemorySegment oneSecond = arena.allocate(2 * Long.BYTES);
            LinuxFutex.setTimespec(oneSecond, TimeUnit.SECONDS.toNanos(1));
            ProcessHandle starter = ProcessHandle.current().parent().orElseThrow();
            int served = 0;
            while (true) {
                while ((int) WORD.getVolatile(words, REQUEST) == served) {
                    int seq = (int) WORD.getVolatile(words, SEQ);
                    WORD.setVolatile(words, WAITING, 1);  // volatile: ordered before the request's re-check below
                    if ((int) WORD.getVolatile(words, REQUEST) == served) {
                        futex(words, LinuxFutex.WAIT, seq, oneSecond);
                    }
                    WORD.setVolatile(words, WAITING, 0);
                    if ((int) WORD.getVolatile(words, REQUEST) == served && !starter.isAlive()) {
                        Files.deleteIfExists(file);  // the starter was killed before it could delete it
                        return;
                    }
                }
                served = (int) WORD.getVolatile(words, REQUEST);
                if (served == STOP) {
                    return;
                }
                WORD.setVolatile(words, ANSWER, served);  // pairs with the caller's volatile read of the answer
            }
        }
    }

    private static void futex(MemorySegment word, int op, int value, MemorySegment timeout) throws IOException {
        try {
            LinuxFutex.call(word, op, value, timeout);
        }
        catch (Throwable ex) {
            throw new IOException("futex(" + op + ") failed", ex);
        }
    }
}
