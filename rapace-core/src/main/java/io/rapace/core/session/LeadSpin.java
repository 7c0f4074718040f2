package io.rapace.core.session;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

import io.rapace.transport.shm.ShmTransport;

/**
 * How long a leading caller spins for its answer before it yields between polls: {@link ReadTimings#LEAD_SPIN_NANOS}
 * (20 µs), or {@value #SHARED_SPIN_MICROS} µs while the peer's thread shares the caller's core and no other core is
 * free to take one of them.
 *
 * <p>A caller spins so that an answer from a peer on another core is read within a microsecond of its arrival, without
 * a yield that would hand its core to another thread of ours. When the peer's receive thread is on the caller's own
 * core, the spin only holds the peer off: the answer comes once the caller yields, and each call costs the spin plus
 * two hand-overs of the core. On an otherwise idle machine that happens in spells: neither thread ever blocks (one
 * spins, the other yields), and the kernel's balancer leaves two threads that ran within the last half millisecond
 * where they are, so a spell lasted 8-48 ms of 25 µs calls while the other core idled (scheduler traces on the 2-core
 * VM, 2026-12-05: 1-2.5 % of one caller's calls in some runs, its p99 25 µs); a shorter spin there made the spells last
 * longer still (docs/performance-notes.md), and a short park did not end them (woken, the caller was placed on the
 * same CPU again). With a third busy process on 2 cores, the kernel keeps the two together for good (about 30 µs a
 * call at the median with the 20 µs spin, against under 2 µs on two cores).
 *
 * <p>The sign of sharing: the answer comes right after a yield that gave the core away (the yield took at least
 * {@value #GAVE_CORE_MICROS} µs: another thread ran meanwhile; a yield that finds nobody else returns within a quarter
 * of a µs, and the peer's thread answers in about 4), not while spinning. Every {@value #LOOK_EVERY} such calls in a
 * row the machine's runnable tasks are counted ({@link RunnableTasks}). A count that finds a core free moves the
 * caller there ({@link ShmTransport#moveCallerToAnotherCpu}): the spell ends, the next answers come while it spins.
 * When {@value #CROWDED_LOOKS} counts in a row found more tasks than there are cores (no core to move to), the spin
 * shortens. While short, every {@value #LOOK_EVERY} such calls look again, and a look that finds a core free, or any
 * answer read while spinning, lengthens it again. Calls whose answer came after yields that gave nothing away change
 * nothing. Only a caller that leads alone counts and adapts ({@link ReceiveRole}), and only while the calls come from
 * one thread: with several callers, yields that give the core to each other are the usual state, and a shorter spin
 * lowered their throughput.
 *
 * <p>Guarded by the receive role: only the caller holding it reads and writes (the lock orders them).
 */
final class LeadSpin {

    /** The spin while the peer shares the caller's core and the other cores are busy. */
    static final long SHARED_SPIN_MICROS = 2;

    /** A yield that returns after this long gave the core to another thread. */
    static final long GAVE_CORE_MICROS = 2;

    /** Calls answered right after a yield that gave the core away, in a row, between two counts of runnable tasks. */
    static final int LOOK_EVERY = 64;

    /** Counts in a row that found every core taken, before the spin shortens. */
    static final int CROWDED_LOOKS = 4;

    static final long SHARED_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(SHARED_SPIN_MICROS);

    static final long GAVE_CORE_NANOS = TimeUnit.MICROSECONDS.toNanos(GAVE_CORE_MICROS);

    private final IntSupplier runnableTasks;

    /** The cores this JVM may use, asked at each count (in a container, a read of its limits: not at start-up). */
    private final IntSupplier cores;

    /** The id of the thread whose calls are counted (not the thread: it may end): another caller's starts afresh. */
    private long caller = -1;

    /** Calls answered right after giving the core away since the last look (or the last sign against sharing). */
    private int sinceLook;

    /** Looks in a row that found every core taken. */
    private int crowdedLooks;

    /** Moves the calling thread to another CPU; false when it could not ({@link ShmTransport#moveCallerToAnotherCpu}). */
    private final BooleanSupplier moveToAnotherCpu;

    /** Times a look moved the caller to another CPU (for tests and figures). */
    private long moves;

    private long spinNanos = ReadTimings.LEAD_SPIN_NANOS;

    /**
     * The machine's runnable tasks from {@code /proc/loadavg}, against the cores this JVM may use;
     * {@code moveToAnotherCpu} moves the calling thread to another CPU, false when it could not.
     */
    LeadSpin(BooleanSupplier moveToAnotherCpu) {
        this(RunnableTasks::now, Runtime.getRuntime()::availableProcessors, moveToAnotherCpu);
    }

    /**
     * {@code runnableTasks}: the machine's runnable tasks now, the reader included, or a negative number if unknown;
     * {@code cores}: how many cores there are for them; {@code moveToAnotherCpu}: moves the calling thread to another
     * CPU, false when it could not.
     */
    LeadSpin(IntSupplier runnableTasks, IntSupplier cores, BooleanSupplier moveToAnotherCpu) {
        this.runnableTasks = runnableTasks;
        this.cores = cores;
        this.moveToAnotherCpu = moveToAnotherCpu;
    }

    /** How many times a look moved the caller to another CPU. */
    long moves() {
        return this.moves;
    }

    /** The spin of the next leading caller. */
    long nanos() {
        return this.spinNanos;
    }

    /**
     * A leading caller's answer came: {@code byThread} the caller's {@link Thread#threadId()}, {@code yielded} whether
     * it yielded before, {@code lastYieldGaveCore} whether the last of those yields gave the core to another thread.
     * Calls of one thread count; a call of another one starts afresh with the usual spin (several callers hand each
     * other the core, and are not helped by a shorter spin).
     */
    void answered(long byThread, boolean yielded, boolean lastYieldGaveCore) {
        if (byThread != this.caller) {
            this.caller = byThread;
            lengthen();
            return;
        }
        if (!yielded) {
            lengthen();
            return;
        }
        if (!lastYieldGaveCore || ++this.sinceLook < LOOK_EVERY) {
            return;
        }
        this.sinceLook = 0;
        if (!everyCoreTaken()) {
            lengthen();
            // A core is free, yet the peer's thread shares this caller's: move there (the kernel would not, soon).
            if (this.moveToAnotherCpu.getAsBoolean()) {
                this.moves++;
            }
        }
        else if (++this.crowdedLooks >= CROWDED_LOOKS) {
            this.crowdedLooks = CROWDED_LOOKS;
            this.spinNanos = SHARED_SPIN_NANOS;
        }
    }

    /** Whether more tasks are runnable than there are cores: the reader and the peer's thread cannot both get one. */
    private boolean everyCoreTaken() {
        return this.runnableTasks.getAsInt() > this.cores.getAsInt();
    }

    private void lengthen() {
        this.sinceLook = 0;
        this.crowdedLooks = 0;
        this.spinNanos = ReadTimings.LEAD_SPIN_NANOS;
    }

    /** Whether the spin is the short one (for tests). */
    boolean isShort() {
        return this.spinNanos == SHARED_SPIN_NANOS;
    }
}
