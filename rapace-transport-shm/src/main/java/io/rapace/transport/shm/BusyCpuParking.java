package io.rapace.transport.shm;

import java.util.Locale;

/**
 * The receive's idle strategy, which parks a long idle on a CPU that is busy anyway. Against a peer that sends no
 * wake signal (a v1.0 peer), the receive polls: it parks up to 4 ms at a time, and each wake-up of a thread on an
 * idle CPU costs the CPU's wake from its idle state as well, which on a VM is an exit to the hypervisor and back
 * (about 0.6 % of a core for 250 wake-ups a second on the 2-core VM of docs/performance-notes.md). A busy-polling peer keeps
 * one CPU running all the time: a timer that fires there finds it awake, and the same parks cost about a third as
 * much. So once the receive has parked for a while (30 s the first time in a JVM, see
 * {@link #FIRST_BIND_AFTER_NANOS}), this strategy looks at how busy each CPU of the thread's
 * affinity was ({@link CpuLoad}, every {@value #REVIEW_EVERY_PARKS} parks) and, when one ran something at least
 * {@value #BUSY_SHARE} of the time, restricts the parking thread to that CPU and gives it the shortest slice
 * ({@link ThreadSlice}: its wake-ups there then preempt the peer's spinning thread at once; else the first frame after
 * the idle would wait for the rest of that thread's slice, about a millisecond more). The first frame after the idle
 * period (or the transport's close) restores the thread's slice and affinity, moving it off that CPU at once, so that
 * calls run beside the peer again, not on its CPU. When that CPU is no longer busy ({@value #STAY_SHARE}), the next
 * look undoes it too.
 *
 * <p><b>Off unless the system property {@value #PROPERTY} is {@code true}.</b> Under a host that polls with
 * {@code sched_yield} all through its idle periods and is not pinned to a CPU (as v0.3's receive loop), the bound
 * receive's wake-ups cost what they cost unbound (20-29 µs each against 22-26, per-thread {@code schedstat}),
 * while the JIT's work on the looks and the binding added to it: the Spring sample plugin's 100 s idle periods cost
 * more bound than not
 * (docs/transport.md, "Parking on a busy CPU"). It paid beside a spinner pinned to one CPU, in an earlier
 * measurement; with a pinned host, two pairs were mixed.
 *
 * <p>Nothing changes when the strategy never parks (a busy spin), with the wake extension in use (the receive
 * then sleeps in the kernel, not here), for a virtual thread, a thread bound to one CPU, off Linux or without the
 * native calls ({@link CpuAffinity}), and unless the system property {@value #PROPERTY} is {@code true}. A receive
 * or wait that ends by its timeout releases its thread too (the application's thread may not come back); the
 * session's receive loop, which does, is bound again at its first park.
 *
 * <p>{@link #idle} and {@link #reset} belong to the receiving thread as the wrapped strategy's do; the release may
 * come from whichever thread reads a frame, so binding and release are under this object's lock, taken only by the
 * looks (one per {@value #REVIEW_EVERY_PARKS} parks) and by the release of a bound thread (once per idle period).
 */
final class BusyCpuParking implements IdleStrategy {

    /** The system property that turns this on ({@code -Drapace.shm.park-on-busy-cpu=true}). */
    static final String PROPERTY = "rapace.shm.park-on-busy-cpu";

    /** Parks between two looks at the CPUs' load: 128 parks of 1-4 ms, 0.13-0.5 s. */
    static final int REVIEW_EVERY_PARKS = 128;

    /** Share of a window a CPU must have run something for a parked thread to be bound to it. */
    static final double BUSY_SHARE = 0.9;

    /** Share below which a bound thread is released (a CPU that was busy and no longer is). */
    static final double STAY_SHARE = 0.75;

    /**
     * Parking before the first binding in a JVM: 30 s. The first binding links the native calls ({@link LinuxSyscall}):
     * 10-30 ms of the thread's CPU in a plugin's JVM, plus the JIT's work on code that runs only then, which an idle
     * period shorter than this would not repay (a bound thread saves about 0.4 % of a core, 4 ms a second): bound at
     * once, the Spring sample plugin's first 10 s idle period cost 1.5-2.4 % of a core against 1.1-1.7 %
     * (docs/performance-notes.md). Later idle periods are bound after two looks.
     */
    static final long FIRST_BIND_AFTER_NANOS = 30_000_000_000L;

    /** A reading older than this is a baseline only: its window would span calls and other idle periods. */
    static final long STALE_READING_NANOS = 5_000_000_000L;

    /** Set once a binding linked the native calls in this JVM: later idle periods need not wait. */
    private static volatile boolean linked;

    private final IdleStrategy parks;

    private final boolean enabled;

    private final CpuLoad load;

    private final long firstBindAfterNanos;

    /** The bound thread's slice, shortened while it is bound; guarded by this. */
    private final ThreadSlice slice = new ThreadSlice();

    /** The bound thread's slice before it was bound, in ns; 0 when its slice was left as it was. Guarded by this. */
    private long originalSlice;

    /** The bound thread's affinity before it was bound; guarded by this. */
    private final CpuAffinity.Mask original = new CpuAffinity.Mask();

    /** Scratch mask for binding and releasing; guarded by this. */
    private final CpuAffinity.Mask scratch = new CpuAffinity.Mask();

    /** Parks left before the next look; the receiving thread's, as the wrapped strategy's state is. */
    private int parksUntilReview = REVIEW_EVERY_PARKS;

    /** When this idle period's first look came ({@link System#nanoTime()}); 0 after work. */
    private long idleSince;

    /** When the CPUs' load was last read; 0 before the first reading. */
    private long lastReading;

    /** Set by {@link #close()}: no thread is bound any more; guarded by this. */
    private boolean closed;

    /** The CPU the bound thread parks on; guarded by this. */
    private int boundCpu = -1;

    /**
     * The bound thread's kernel id, 0 when none is bound: volatile, written under the lock by the binding and the
     * release, read without it by every frame's {@link #idle} (a release that sees 0 has nothing to do).
     */
    private volatile int boundThread;

    BusyCpuParking(IdleStrategy parks, boolean enabled, CpuLoad load, long firstBindAfterNanos) {
        this.parks = parks;
        // CpuAffinity is not touched before a look finds a busy CPU: linking native calls costs a cold JVM tens of
        // ms (NativeLinkTest), and a plugin facing a v1.0 host starts without them
        this.enabled = enabled;
        this.load = load;
        this.firstBindAfterNanos = firstBindAfterNanos;
    }

    /** {@code parks} wrapped, enabled on Linux when the system property {@value #PROPERTY} is {@code true}. */
    static BusyCpuParking around(IdleStrategy parks) {
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        return new BusyCpuParking(parks, linux && "true".equalsIgnoreCase(System.getProperty(PROPERTY)),
                new CpuLoad(CpuLoad.PROC_STAT), FIRST_BIND_AFTER_NANOS);
    }

    /** Links the native calls now, so that no idle period waits for the first binding (tests). */
    static boolean linkNow() {
        linked = CpuAffinity.isAvailable();
        return linked;
    }

    /**
     * Whether a look may read the CPUs' load now: always once this JVM linked the native calls, else only after
     * {@code firstBindAfterNanos} of parking in this idle period.
     */
    static boolean mayLook(boolean linked, long idleNanos, long firstBindAfterNanos) {
        return linked || idleNanos >= firstBindAfterNanos;
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idlePeriodEnded();
            this.parks.idle(workCount);
            return;
        }
        if (this.enabled && this.parks.isParking() && --this.parksUntilReview <= 0) {
            this.parksUntilReview = REVIEW_EVERY_PARKS;
            review();
        }
        this.parks.idle(0);
    }

    @Override
    public void reset() {
        idlePeriodEnded();
        this.parks.reset();
    }

    /** Work came, or the wait starts afresh: the looks count from zero again and a bound thread is released. */
    private void idlePeriodEnded() {
        this.parksUntilReview = REVIEW_EVERY_PARKS;
        this.idleSince = 0;
        if (this.boundThread != 0) {
            release();
        }
    }

    @Override
    public boolean isParking() {
        return this.parks.isParking();
    }

    /** Whether a thread is bound to a busy CPU now (for tests and stats). */
    boolean isBound() {
        return this.boundThread != 0;
    }

    /**
     * A receive or a wait for frames ends without a frame (its timeout): the bound thread gets its affinity back, in
     * case it does not come back (a thread of the application's that received for a while); when it does, its first
     * park looks again and binds it again. Not moved off the busy CPU: nothing runs there yet. On the receiving
     * thread.
     */
    void waitEnded() {
        if (this.boundThread != 0) {
            release(false);
            this.parksUntilReview = 1;
        }
    }

    /** Restores the bound thread's affinity, moving it off the busy CPU at once; any thread. */
    void release() {
        release(true);
    }

    private synchronized void release(boolean moveOff) {
        int thread = this.boundThread;
        if (thread == 0) {
            return;
        }
        this.boundThread = 0;
        if (this.originalSlice != 0) {
            // the slice it had (the default as the kernel reported it, or its own), read afresh first so that a
            // policy or nice value changed meanwhile is written back as it is now
            if (this.slice.read(thread)) {
                this.slice.write(thread, this.originalSlice);
            }
            this.originalSlice = 0;
        }
        if (moveOff) {
            // First a mask without the busy CPU, so that the kernel moves the thread now rather than at its next
            // balancing (it would share the peer's CPU meanwhile), then the mask it had.
            this.scratch.copyFrom(this.original);
            this.scratch.remove(this.boundCpu);
            CpuAffinity.write(thread, this.scratch);
        }
        if (!CpuAffinity.write(thread, this.original)) {
            // its CPUs went offline meanwhile, or left its cpuset: every CPU, which the kernel narrows to those it may
            // use, rather than a thread left on one CPU
            this.scratch.all();
            CpuAffinity.write(thread, this.scratch);
        }
        this.boundCpu = -1;
    }

    /** Releases a bound thread, and binds none from now on (the transport closes; a look may be under way). */
    synchronized void close() {
        this.closed = true;
        release();
    }

    /** A look at the CPUs' load on the parking thread: binds it, moves it, or releases it. */
    private synchronized void review() {
        long now = System.nanoTime();
        if (this.idleSince == 0) {
            this.idleSince = now;
        }
        if (this.closed || !mayLook(linked, now - this.idleSince, this.firstBindAfterNanos)) {
            return;
        }
        boolean baselineOnly = this.lastReading == 0 || now - this.lastReading > STALE_READING_NANOS;
        this.lastReading = now;
        if (!this.load.sample()) {
            release();
            return;
        }
        if (baselineOnly) {
            return;  // the next look has a window of this idle period
        }
        if (this.boundThread != 0) {
            if (this.load.busyShare(this.boundCpu) >= STAY_SHARE) {
                return;
            }
            release();
        }
        if (!this.load.anyBusy(BUSY_SHARE) || Thread.currentThread().isVirtual() || !CpuAffinity.isAvailable()) {
            return;  // nothing to gain; or the carrier would be bound, not the parking thread; or no native calls
        }
        linked = true;
        int thread = CpuAffinity.currentThreadId();
        if (thread <= 0 || !CpuAffinity.read(thread, this.original) || this.original.count() < 2) {
            return;
        }
        int cpu = this.load.busiest(this.original, BUSY_SHARE);
        if (cpu < 0) {
            return;
        }
        this.scratch.only(cpu);
        if (CpuAffinity.write(thread, this.scratch)) {
            this.boundCpu = cpu;
            this.boundThread = thread;
            shortenSlice(thread);
        }
    }

    /**
     * Gives the bound thread the shortest slice, so that its wake-up on the busy CPU preempts the peer's spinning
     * thread at once, rather than after the rest of that thread's slice (up to 1.4 ms, and on a kernel with a 4 ms
     * tick up to a tick). Left as it is when the kernel refuses or the thread's slice is already that short.
     */
    private void shortenSlice(int thread) {
        if (!this.slice.read(thread)) {
            return;
        }
        long had = this.slice.nanos();
        if (had > ThreadSlice.SHORT_NANOS && this.slice.write(thread, ThreadSlice.SHORT_NANOS)) {
            this.originalSlice = had;
        }
    }

    @Override
    public String toString() {
        return "BusyCpuParking[" + this.parks + (this.enabled ? "" : ", off") + "]";
    }
}
