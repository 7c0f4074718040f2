package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Gets the wake path's native calls compiled before the first idle period ends. {@link Futex#bumpAndWake} and
 * {@link Futex#await} run once per idle period of a session, never often enough for the JIT, and interpreted each
 * FFM downcall is a chain of method-handle frames: measured on a 2-core VM, the producer's {@code FUTEX_WAKE} of a
 * sleeping peer took 80-100 µs from its publish to the system call's return instead of 12 (the call itself takes
 * 10 µs in C), and the first call after 3 s idle between two Java peers went from medians of 207-228 µs to
 * 127-161 µs (three interleaved pairs, docs/performance-notes.md).
 *
 * <p>Once per JVM, when a transport first sleeps after frames came, or first wakes a sleeping peer after its own first
 * frame (so never during start-up, when the first answer is awaited; and on a host, whose receive loop sleeps in the
 * kernel only a second into an idle period, while calls still come: measured with {@code rpc.IdleThreads}, three
 * interleaved pairs, the host's idle CPU over 20 s read 0.194-0.233 % of a core against 0.241-0.281 % with the warm-ups
 * started by that first sleep), a daemon thread calls both {@value #CALLS} times on a private word: {@code bumpAndWake}
 * with nobody to wake, and {@code await} with a value the word does not hold, which returns at once ({@code EAGAIN}).
 * About 50 ms of CPU, once (most of it in the calls made before the JIT compiled them); nothing touches a mapping. The
 * same thread then warms up the heartbeat's path ({@link HeartbeatWarmUp}) and links the calls that move a caller to
 * another CPU ({@link CpuHop}).
 */
final class FutexWarmUp {

    /** Calls of each: past C2's threshold (about 5,000 invocations), with room for the queue. */
    static final int CALLS = 10_000;

    /** The warm-up's thread, set once when it is started in this JVM. */
    private static final AtomicReference<@Nullable Thread> THREAD = new AtomicReference<>();

    private FutexWarmUp() {
    }

    /**
     * Whether the warm-up was asked for in this JVM: plain, set by the first {@link #startOnce} (askers that race both go
     * on to the {@code compareAndSet} of {@link #THREAD}, which decides). Its callers run from branches taken once per
     * idle period, which the JIT never compiles: a static field is all they read after the first time, where the
     * atomic read of {@code THREAD}, interpreted, took 8-12 µs of a caller's first call after idle on a 2-core VM
     * (docs/performance-notes.md, "A cold store after the wake-up").
     */
    private static boolean asked;

    /** Starts the warm-up unless asked for before in this JVM or futexes are unavailable. Any thread. */
    static void startOnce() {
        if (!asked) {
            start();
        }
    }

    /** Whether {@link #startOnce} was called in this JVM: the one read a caller that runs cold needs to skip it. */
    static boolean asked() {
        return asked;
    }

    private static void start() {
        asked = true;
        if (THREAD.get() != null || !Futex.isAvailable()) {
            return;
        }
        Thread warmUp = Thread.ofPlatform().daemon().name("rapace-futex-warm-up").unstarted(FutexWarmUp::run);
        // A thread that loses the race leaves its own unstarted.
        if (THREAD.compareAndSet(null, warmUp)) {
            warmUp.start();
        }
    }

    /**
     * Starts the warm-up unless started before, and waits until it ended (for tests that count what every thread of
     * the JVM allocates: the warm-up's native linking and calls allocate about 1.3 MB, once).
     */
    static void runToEnd() throws InterruptedException {
        start();
        Thread warmUp = THREAD.get();
        if (warmUp == null) {
            return;
        }
        while (warmUp.getState() == Thread.State.NEW) {
            // Published by the thread that starts it, which has not yet done so.
            Thread.onSpinWait();
        }
        warmUp.join();
    }

    /** Whether the warm-up was started in this JVM (for tests). */
    static boolean started() {
        return THREAD.get() != null;
    }

    private static void run() {
        try (Arena arena = Arena.ofShared()) {
            practise(practiceWord(arena));
        }
        HeartbeatWarmUp.run();
        // Links the thread placement calls here, not on a caller's thread at its first move (CpuHop: milliseconds).
        LinuxSyscall.isAvailable();
    }

    /**
     * A private word for the calls, of the very classes of a real one: a segment of a shared arena (as a mapping's is)
     * made a futex word by {@link Futex#word}. The JIT compiles each downcall for the classes of the segments it saw,
     * so a practice on words of other classes compiled code that the first real call threw away.
     */
    static MemorySegment practiceWord(Arena arena) {
        return Futex.word(arena.allocate(Integer.BYTES, Integer.BYTES), 0);
    }

    private static void practise(MemorySegment word) {
        Futex futex = new Futex();
        for (int i = 0; i < CALLS; i++) {
            Futex.bumpAndWake(word, 0, word, 1);
            futex.await(word, word.get(ValueLayout.JAVA_INT, 0) + 1, 1_000_000);
        }
    }
}
