package io.rapace.core.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Waits for a process that is not our child to exit, in the kernel: a Linux {@code pidfd_open(2)} descriptor
 * becomes readable when the process terminates (a zombie included), and {@code poll(2)} sleeps on it. So a watch
 * on the host process costs no periodic look, and sees the exit at once. Through libc and the FFM linker (no JNI);
 * where that is not possible (another OS, a kernel before 5.3, native access denied) {@link #open} is empty and
 * the caller polls the process instead.
 *
 * <p>One instance per watched process, used by one thread; {@link #close()} releases the descriptor.
 */
final class PidfdExitWait implements ExitSignal {

    /** {@code SYS_pidfd_open}: the same number on x86-64 and aarch64 (the unified table since Linux 5.3). */
    private static final long SYS_PIDFD_OPEN = 434;

    private static final short POLLIN = 1;

    private static final @Nullable MethodHandle PIDFD_OPEN;
    private static final @Nullable MethodHandle POLL;
    private static final @Nullable MethodHandle CLOSE;

    static {
        MethodHandle pidfdOpen = null;
        MethodHandle poll = null;
        MethodHandle close = null;
        String arch = System.getProperty("os.arch", "");
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        if (linux && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                pidfdOpen = downcall(linker, libc.find("syscall").orElseThrow(), FunctionDescriptor.of(
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                        Linker.Option.firstVariadicArg(1));
                poll = downcall(linker, libc.find("poll").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                close = downcall(linker, libc.find("close").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            }
            catch (RuntimeException | LinkageError ex) {
                pidfdOpen = null;
            }
        }
        PIDFD_OPEN = pidfdOpen;
        POLL = poll;
        CLOSE = close;
    }

    private final int fd;

    /** {@code struct pollfd { int fd; short events; short revents; }}, reused by every wait. */
    private final MemorySegment pollfd;

    private PidfdExitWait(int fd) {
        this.fd = fd;
        this.pollfd = Arena.ofAuto().allocate(8, 4);
        this.pollfd.set(ValueLayout.JAVA_INT, 0, fd);
        this.pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
    }

    /** A wait on process {@code pid}, or empty when pidfds cannot be used here (or the process is already gone). */
    static Optional<PidfdExitWait> open(long pid) {
        MethodHandle pidfdOpen = PIDFD_OPEN;
        if (pidfdOpen == null || POLL == null || pid <= 0 || pid > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        try {
            long fd = (long) pidfdOpen.invokeExact(SYS_PIDFD_OPEN, (int) pid, 0);
            return fd < 0 ? Optional.empty() : Optional.of(new PidfdExitWait((int) fd));
        }
        catch (Throwable ex) {
            return Optional.empty();
        }
    }

    /**
     * Sleeps until the process exits or {@code timeoutMillis} passed (a signal may end it earlier).
     *
     * @return whether the process has exited
     */
    @Override
    public boolean awaitExit(int timeoutMillis) {
        MethodHandle poll = POLL;
        if (poll == null) {
            return false;
        }
        this.pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
        try {
            int ready = (int) poll.invokeExact(this.pollfd, 1L, timeoutMillis);
            return ready > 0 && (this.pollfd.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0;
        }
        catch (Throwable ex) {
            return false;
        }
    }

    @Override
    public void close() {
        MethodHandle close = CLOSE;
        if (close != null) {
            try {
                int ignored = (int) close.invokeExact(this.fd);
            }
            catch (Throwable ex) {
                // nothing to do: the descriptor goes with the process at worst
            }
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(Linker linker, MemorySegment function, FunctionDescriptor descriptor,
            Linker.Option... options) {
        return linker.downcallHandle(function, descriptor, options);
    }
}
