package io.rapace.benchmarks.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One way for a thread to wait a fixed time, as {@link IdleFloor} compares them: what each costs a thread that
 * wakes every few milliseconds to look at a v0.3 peer's ring. The receive loop parks ({@link Park}); the others are
 * there to show what the JVM's park adds to a wake-up on the machine at hand. Linux x86-64 for the native ones.
 */
sealed interface IdleWait {

    /** Waits about {@code nanos} (a spurious early return is one more wake-up, as for the receive loop). */
    void waitFor(long nanos) throws Throwable;

    /**
     * The way named {@code name}: {@code park}, {@code sleep}, {@code futex}, {@code nanosleep} or
     * {@code critical-nanosleep}.
     */
    static IdleWait named(String name) {
        return switch (name) {
            case "park" -> new Park();
            case "sleep" -> new Sleep();
            case "futex" -> new FutexWait();
            case "nanosleep" -> new NanoSleep(false);
            case "critical-nanosleep" -> new NanoSleep(true);
            default -> throw new IllegalArgumentException("--wait must be park, sleep, futex, nanosleep or"
                    + " critical-nanosleep, not " + name);
        };
    }

    /** {@link LockSupport#parkNanos}: the receive loop's own wait between looks at a v0.3 peer's ring. */
    record Park() implements IdleWait {

        @Override
        public void waitFor(long nanos) {
            LockSupport.parkNanos(nanos);
        }
    }

    /** {@link Thread#sleep(long, int)}: the JVM's sleep, which nothing but an interrupt ends early. */
    record Sleep() implements IdleWait {

        @Override
        public void waitFor(long nanos) throws InterruptedException {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        }
    }

    /** {@code FUTEX_WAIT} (the shared op, as the wake extension's consumer) on a word no one changes, timing out. */
    final class FutexWait implements IdleWait {

        private final MemorySegment word = Arena.global().allocate(ValueLayout.JAVA_INT);

        private final MemorySegment timeout = Arena.global().allocate(16, 8);

        @Override
        public void waitFor(long nanos) throws Throwable {
            LinuxFutex.setTimespec(this.timeout, nanos);
            // Returns -1 (ETIMEDOUT) each time: the word stays 0, nobody wakes it.
            LinuxFutex.call(this.word, LinuxFutex.WAIT, 0, this.timeout);
        }
    }

    /**
     * {@code clock_nanosleep(CLOCK_MONOTONIC)}, relative. With {@code critical} the downcall skips the thread's state
     * change (JDK 22+): cheaper, but no safepoint can begin while it sleeps, so it is measured here and never used.
     */
    final class NanoSleep implements IdleWait {

        private static final int CLOCK_MONOTONIC = 1;

        private final MethodHandle sleep;

        private final MemorySegment time = Arena.global().allocate(16, 8);

        NanoSleep(boolean critical) {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor descriptor = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
            MemorySegment function = linker.defaultLookup().findOrThrow("clock_nanosleep");
            this.sleep = critical ? linker.downcallHandle(function, descriptor, Linker.Option.critical(false))
                    : linker.downcallHandle(function, descriptor);
        }

        @Override
        public void waitFor(long nanos) throws Throwable {
            LinuxFutex.setTimespec(this.time, nanos);
            int result = (int) this.sleep.invokeExact(CLOCK_MONOTONIC, 0, this.time, MemorySegment.NULL);
        }
    }
}
