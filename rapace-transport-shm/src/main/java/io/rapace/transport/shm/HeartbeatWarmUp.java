package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.SegmentLayout;

/**
 * Gets the heartbeat's own path compiled while the process is busy, not during its idle periods. A beat comes 2.5
 * times a second, so the methods it runs cross the JIT's thresholds one by one over minutes, and each compilation
 * they ask for wakes both of the JVM's compiler threads: in an idle Java host measured for 20 s after 200,000 calls
 * ({@code rpc.IdleThreads}, 2-core VM), the C1 and C2 threads woke 17-23 times each, woken by the heartbeat thread
 * every time ({@code perf} of the scheduler's wake-ups), 0.05-0.12 % of a core of the host's 0.22-0.31 %.
 *
 * <p>Run once per JVM by {@link FutexWarmUp}'s thread, after the start-up and while calls come (see there for when):
 * {@value #BEATS} beats of a private header, through the same methods as the real ones. Nothing touches a mapping.
 */
final class HeartbeatWarmUp {

    /** Beats: past C2's threshold (about 5,000 invocations), with room. */
    static final int BEATS = 10_000;

    private HeartbeatWarmUp() {
    }

    static void run() {
        SegmentHeaderView header = new SegmentHeaderView(Arena.ofAuto().allocate(SegmentLayout.LENGTH, Long.BYTES));
        Heartbeat practice = new Heartbeat(header, PeerRole.HOST, TimeUnit.MILLISECONDS.toNanos(400),
                "heartbeat warm-up", new Heartbeats("rapace-heartbeat-warm-up (never started)"));
        practice.practise(BEATS);
    }
}
