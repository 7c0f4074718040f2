package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;

/**
 * A thread's time slice under Linux's fair scheduler (EEVDF, kernel 6.12 and later): {@code sched_getattr(2)} and
 * {@code sched_setattr(2)} through {@link LinuxSyscall}, with {@code sched_runtime} as the slice a
 * {@code SCHED_OTHER} or {@code SCHED_BATCH} thread asks for (0.1 to 100 ms; 0 asks for the default, which the
 * kernel then reports as the slice in force: 1.4 ms on 2 CPUs). A waking thread with a
 * shorter slice than the running one's may preempt it at once, where otherwise the running one keeps the CPU until
 * its own slice is used up; no privilege is needed. Used by {@link BusyCpuParking}, which shares a CPU with a
 * spinning thread of the peer's while it parks there. Not thread-safe: one instance per owner, under its lock.
 *
 * <p>Older kernels take {@code sched_runtime} of a fair thread and ignore it; kernels without
 * {@code sched_setattr}, and a seccomp profile that forbids it, refuse: {@link #read} or {@link #write} answer false.
 */
final class ThreadSlice {

    /** The slice a thread asks for while it parks on a busy CPU: the shortest the kernel takes, 0.1 ms. */
    static final long SHORT_NANOS = 100_000;

    /** {@code struct sched_attr} as of {@code SCHED_ATTR_SIZE_VER1}: the size this code reads and writes. */
    private static final int ATTR_BYTES = 56;

    private static final long SIZE_OFFSET = 0;

    private static final long POLICY_OFFSET = 4;

    private static final long RUNTIME_OFFSET = 24;

    private static final int SCHED_OTHER = 0;

    private static final int SCHED_BATCH = 3;

    /** The attributes last read; written back with another slice. */
    private final MemorySegment attr = Arena.ofAuto().allocate(ATTR_BYTES, Long.BYTES);

    /**
     * Reads thread {@code tid}'s scheduling attributes; false when the kernel refused or the thread's policy has no
     * slice of this kind (real-time, deadline, idle).
     */
    boolean read(int tid) {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        if (numbers == null) {
            return false;
        }
        this.attr.fill((byte) 0);
        if (call(numbers.getAttr(), tid, ATTR_BYTES) != 0) {
            return false;
        }
        int policy = this.attr.get(ValueLayout.JAVA_INT, POLICY_OFFSET);
        return policy == SCHED_OTHER || policy == SCHED_BATCH;
    }

    /** The slice of the attributes last {@linkplain #read read}, in ns. */
    long nanos() {
        return this.attr.get(ValueLayout.JAVA_LONG, RUNTIME_OFFSET);
    }

    /**
     * Writes the attributes last {@linkplain #read read} back to thread {@code tid} with a slice of {@code nanos}
     * (its policy, nice value and flags as read); false when the kernel refused.
     */
    boolean write(int tid, long nanos) {
        LinuxSyscall.Numbers numbers = LinuxSyscall.available();
        if (numbers == null) {
            return false;
        }
        this.attr.set(ValueLayout.JAVA_INT, SIZE_OFFSET, ATTR_BYTES);
        this.attr.set(ValueLayout.JAVA_LONG, RUNTIME_OFFSET, nanos);
        return call(numbers.setAttr(), tid, 0) == 0;
    }

    /** The attributes are passed by their address: this must stay reachable until the kernel returns. */
    private long call(long number, int tid, long third) {
        try {
            // sched_getattr(tid, attr, size, flags 0) and sched_setattr(tid, attr, flags 0): the fourth is ignored
            return LinuxSyscall.call(number, tid, this.attr.address(), third, 0);
        }
        finally {
            Reference.reachabilityFence(this);
        }
    }
}
