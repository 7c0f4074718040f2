package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Linux {@code futex(2)} on a 32-bit word of a shared mapping, through libc's {@code syscall} and the
 * FFM linker (no JNI). Uses the <em>shared</em> operations {@code FUTEX_WAIT} (0) and {@code FUTEX_WAKE}
 * (1), never the {@code _PRIVATE} variants: the word lives in a file mapped by two processes, and a
 * private futex is keyed by the process's own address space.
 *
 * <p>Available only on Linux x86-64 ({@code SYS_futex} = 202) and aarch64 (98), when this module has
 * native access enabled ({@code --enable-native-access=ALL-UNNAMED}, or the manifest attribute
 * {@code Enable-Native-Access: ALL-UNNAMED} of an executable jar) and the linker finds {@code syscall}.
 * Otherwise {@link #isAvailable()} is false and callers poll instead: this class never fails a
 * transport. The check of native access comes first so that a JVM without the flag prints no
 * restricted-method warning.
 *
 * <p>An instance holds one waiting thread's reusable native buffers (the relative {@code timespec} and
 * the captured {@code errno}), so {@link #await} allocates nothing; it is used by one thread at a time
 * (the transport's single consumer). {@link #wake} and {@link #bumpAndWake} are static and need no buffer.
 */
final class Futex {

    /** {@link #await} result: woken by a {@code FUTEX_WAKE} (or spuriously); re-check the condition. */
    static final int WOKEN = 0;

    /** {@link #await} result: the word no longer held the expected value ({@code EAGAIN}): did not sleep. */
    static final int MISMATCH = 1;

    /** {@link #await} result: the timeout passed ({@code ETIMEDOUT}). */
    static final int TIMED_OUT = 2;

    /** {@link #await} result: a signal interrupted the sleep ({@code EINTR}). */
    static final int INTERRUPTED = 3;

    /** {@link #await} result: any other error ({@code EFAULT}, {@code EINVAL}, {@code ENOSYS}): stop using futexes. */
    static final int FAILED = 4;

    /** The futex operation that sleeps while the word equals the expected value (shared, not private). */
    static final int FUTEX_WAIT = 0;

    /** The futex operation that wakes up to {@code count} sleepers on the word (shared, not private). */
    static final int FUTEX_WAKE = 1;

    /**
     * The futex operation that changes a second word atomically and then wakes sleepers on the first (shared, not
     * private): with both words the same, "add 1 and wake" in one system call ({@link #bumpAndWake}).
     */
    static final int FUTEX_WAKE_OP = 5;

    /**
     * {@code FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)}: add 1 to the second word; the comparison decides whether
     * sleepers on the second word are woken too, and that count is 0 ({@code val2}), so it does not matter.
     */
    static final int OP_ADD_ONE = (1 << 28) | (1 << 12);

    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    private static final int ETIMEDOUT = 110;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** {@link #await}'s result by errno (0: no error), {@link #FAILED} for the rest; the last entry for any larger. */
    private static final byte[] OUTCOMES = outcomes();

    /** The logger, made at this class's first log line: a process that logs nothing never sets up the JDK's logging. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(Futex.class.getName());
    }

    /** The syscall number, or -1 on an architecture we do not know it for. */
    private static final long SYS_FUTEX = sysFutex(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));

    /** Layout of the captured call state (holds errno); a stand-in when the linker is unavailable. */
    private static final StructLayout CAPTURE_LAYOUT;
    private static final @Nullable VarHandle ERRNO;

    /** {@code long syscall(long, ...)} called as (SYS_futex, uaddr, op, val, timeout), capturing errno. */
    private static final @Nullable MethodHandle WAIT;
    /** {@code long syscall(long, ...)} called as (SYS_futex, uaddr, op, val); errno is not needed. */
    private static final @Nullable MethodHandle WAKE;
    /** {@code long syscall(long, ...)} called as (SYS_futex, uaddr, op, val, val2, uaddr2, val3); errno not needed. */
    private static final @Nullable MethodHandle WAKE_OP;
    /** Set when {@code FUTEX_WAKE_OP} failed once (a kernel or sandbox without it): an atomic add and FUTEX_WAKE then. */
    private static volatile boolean wakeOpRefused;

    private static final String UNAVAILABLE_REASON;

    static {
        MethodHandle wait = null;
        MethodHandle wake = null;
        MethodHandle wakeOp = null;
        StructLayout captureLayout = MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("errno"));
        VarHandle errno = null;
        String reason = "";
        if (SYS_FUTEX < 0) {
            reason = "no futex syscall number for os.name=" + System.getProperty("os.name") + " os.arch="
                    + System.getProperty("os.arch");
        }
        else {
            // Linked even when native access was not granted explicitly: the wake extension is the default fast
            // path, and the JDK then only prints its one-time warning naming the flag that silences it
            // (--enable-native-access=ALL-UNNAMED, or Enable-Native-Access in an executable jar's manifest). Under
            // --illegal-native-access=deny the link throws IllegalCallerException: then futexes are unavailable.
            try {
                Linker linker = Linker.nativeLinker();
                captureLayout = Linker.Option.captureStateLayout();
                errno = captureLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                MemorySegment syscall = linker.defaultLookup().find("syscall")
                        .orElseThrow(() -> new UnsupportedOperationException("libc has no syscall symbol"));
                wait = downcall(linker, syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS),
                        Linker.Option.firstVariadicArg(1), Linker.Option.captureCallState("errno"));
                wake = downcall(linker, syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(1));
                wakeOp = downcall(linker, syscall, FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(1));
            }
            catch (RuntimeException | LinkageError ex) {
                wait = null;
                wake = null;
                wakeOp = null;
                errno = null;
                reason = "cannot link libc syscall: " + ex;
            }
        }
        WAIT = wait;
        WAKE = wake;
        WAKE_OP = wakeOp;
        CAPTURE_LAYOUT = captureLayout;
        ERRNO = errno;
        UNAVAILABLE_REASON = reason;
        if (wait == null) {
            Log.LOG.log(System.Logger.Level.DEBUG, "futex unavailable, the wake extension is off: {0}", reason);
        }
    }

    private static byte[] outcomes() {
        byte[] outcomes = new byte[ETIMEDOUT + 2];
        Arrays.fill(outcomes, (byte) FAILED);
        outcomes[0] = WOKEN;
        outcomes[EAGAIN] = MISMATCH;
        outcomes[ETIMEDOUT] = TIMED_OUT;
        outcomes[EINTR] = INTERRUPTED;
        return outcomes;
    }

    /** A downcall handle: a restricted method (the JDK warns once if native access was not enabled). */
    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, MemorySegment function, FunctionDescriptor descriptor,
            Linker.Option... options) {
        return linker.downcallHandle(function, descriptor, options);
    }

    /** Reusable {@code struct timespec { long tv_sec; long tv_nsec; }} for the relative timeout. */
    private final MemorySegment timespec;
    /** Where the linker stores {@code errno} right after the call. */
    private final MemorySegment callState;

    /**
     * Buffers for one waiting thread, from an automatic arena: they live as long as this object, which
     * may be used by whichever thread currently holds the consumer role.
     */
    Futex() {
        Arena arena = Arena.ofAuto();
        this.timespec = arena.allocate(2 * Long.BYTES, Long.BYTES);
        this.callState = arena.allocate(CAPTURE_LAYOUT);
    }

    /** Whether futexes can be used in this JVM. */
    static boolean isAvailable() {
        return WAIT != null;
    }

    /** Why {@link #isAvailable()} is false (empty when it is true). */
    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /** The {@code SYS_futex} number for a Linux architecture, or -1. */
    static long sysFutex(String osName, String osArch) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return -1;
        }
        return switch (osArch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64", "arm64" -> 98;
            default -> -1;
        };
    }

    /**
     * The 4-byte word at {@code segment + offset}, checked for the futex's alignment; pass it to
     * {@link #await} and {@link #wake} (computed once, so those calls allocate nothing).
     *
     * <p>Where futexes are available the word is a plain native segment over the same 4 bytes, of the same session as
     * {@code segment} (so closing that arena still ends it, and a call in flight still holds the session): the class
     * {@link FutexWarmUp}'s practice word has too. The JIT compiles a downcall for the classes of its segment arguments
     * that it saw, and a word sliced from a mapping is of another class than one allocated: a real call then failed that
     * check, threw the compiled call away and ran interpreted from then on (seen in {@code -Xlog:deoptimization}, see
     * docs/performance-notes.md).
     */
    static MemorySegment word(MemorySegment segment, long offset) {
        MemorySegment word = segment.asSlice(offset, Integer.BYTES);
        if ((word.address() & (Integer.BYTES - 1)) != 0) {
            throw new IllegalArgumentException("futex word at address 0x" + Long.toHexString(word.address())
                    + " is not 4-byte aligned");
        }
        return isAvailable() && word.isNative() ? plainNative(word) : word;
    }

    /** The same bytes as a plain native segment of the same session (a restricted method, like the downcalls). */
    @SuppressWarnings("restricted")
    private static MemorySegment plainNative(MemorySegment word) {
        return word.reinterpret(word.byteSize());
    }

    /**
     * {@code FUTEX_WAIT}: sleeps while the word holds {@code expected}, for at most {@code timeoutNanos}
     * (relative, {@code > 0}). The kernel compares and enqueues atomically with respect to
     * {@link #wake}, so a wake after the compare is never lost.
     *
     * @return {@link #WOKEN}, {@link #MISMATCH}, {@link #TIMED_OUT}, {@link #INTERRUPTED} or {@link #FAILED}
     */
    int await(MemorySegment word, int expected, long timeoutNanos) {
        MethodHandle wait = WAIT;
        VarHandle errnoHandle = ERRNO;
        if (wait == null || errnoHandle == null) {
            return FAILED;
        }
        long timeout = Math.max(1, timeoutNanos);
        timespec.set(ValueLayout.JAVA_LONG, 0, timeout / NANOS_PER_SECOND);
        timespec.set(ValueLayout.JAVA_LONG, Long.BYTES, timeout % NANOS_PER_SECOND);
        long result;
        try {
            result = (long) wait.invokeExact(callState, SYS_FUTEX, word, FUTEX_WAIT, expected, timespec);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
        return outcome(result, (int) errnoHandle.get(callState, 0L));
    }

    /**
     * What a {@code FUTEX_WAIT} that returned {@code result}, with {@code errno} as captured after it, means; without a
     * branch on either. The warm-up's waits all fail ({@code EAGAIN}), so a branch on the result would be compiled with
     * the way to {@link #WOKEN} left out, and the first real wake-up would throw the compiled method away.
     */
    static int outcome(long result, int errno) {
        // result is 0 (woken) or -1 (failed): the mask keeps errno only for a failure (a success leaves a stale one).
        int failure = (int) (errno & (result >> 63));
        // errno is positive; min bounds it without a branch.
        return OUTCOMES[Math.min(failure, OUTCOMES.length - 1)];
    }

    /** Convenience for tests: {@link #await} on the word at {@code segment + offset}. */
    int await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        return await(word(segment, offset), expected, timeoutNanos);
    }

    /**
     * {@code FUTEX_WAKE}: wakes up to {@code count} threads (of any process) sleeping on the word.
     *
     * @return how many were woken, or -1 when the call failed or futexes are unavailable
     */
    static int wake(MemorySegment word, int count) {
        MethodHandle wake = WAKE;
        if (wake == null) {
            return -1;
        }
        try {
            return (int) (long) wake.invokeExact(SYS_FUTEX, word, FUTEX_WAKE, count);
        }
        catch (Throwable ex) {
            throw rethrow(ex);
        }
    }

    /**
     * Adds 1 to the word, then wakes up to {@code count} sleepers on it: one {@code FUTEX_WAKE_OP}, in which the kernel
     * adds atomically (a FUTEX_WAIT that has not compared yet then fails with EAGAIN) and wakes under the same lock.
     * Falls back to an atomic add and {@code FUTEX_WAKE} where the kernel refuses the operation.
     *
     * @return how many were woken, or -1 when futexes are unavailable or the call failed
     */
    static int bumpAndWake(MemorySegment segment, long offset, MemorySegment word, int count) {
        // One system call, where the add and the wake would be two steps in the interpreter when this runs cold (once
        // per idle period): a var-handle add there costs tens of µs on a VM (docs/performance-notes.md).
        MethodHandle wakeOp = WAKE_OP;
        if (wakeOp != null && !wakeOpRefused) {
            long woken;
            try {
                woken = (long) wakeOp.invokeExact(SYS_FUTEX, word, FUTEX_WAKE_OP, count, 0L, word, OP_ADD_ONE);
            }
            catch (Throwable ex) {
                throw rethrow(ex);
            }
            if (woken >= 0) {
                return (int) woken;
            }
            // The word is unchanged: the kernel validates the operation and both words before it changes one.
            wakeOpRefused = true;
        }
        // atomic add: the peer adds too (its close); neither bump may be lost.
        Mem.getAndAddInt(segment, offset, 1);
        return wake(word, count);
    }

    /** For tests: whether {@link #bumpAndWake} uses {@code FUTEX_WAKE_OP} (true) or its fallback (false). */
    static void useWakeOp(boolean use) {
        wakeOpRefused = !use;
    }

    private static RuntimeException rethrow(Throwable ex) {
        if (ex instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (ex instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(ex);
    }
}
