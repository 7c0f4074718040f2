package io.rapace.core.session;

/**
 * Whether a handler thread that answered reads the ring for the next request ({@link HandlerLinger}), learnt from
 * how the requests come. Back to back (a caller's next call follows its answer within the linger), reading pays:
 * the next request is served by that thread with no hand-off. Spaced further apart, it does not: the thread reads
 * in vain, and the receive loop, which stepped aside for it, must come back (a yield-waiting loop keeps a woken
 * handler thread from the core on Linux's EEVDF scheduler; a parked one needs a wake-up of tens of µs on a VM).
 * So a linger that took a request keeps the policy engaged, one that took none disengages it (unless it broke a long
 * streak of lingers that took: {@link #STREAK}), and while disengaged a hand-off now and then is a probe: the thread
 * given that call reads after it. The first probe comes at the first hand-off after disengaging, and the gap doubles
 * with each probe up to {@value #PROBE_EVERY} hand-offs: a hiccup of back-to-back requests costs a hand-off or two,
 * requests spaced apart settle at one probe in {@value #PROBE_EVERY}. Shared by the session's handler threads and the
 * threads that hand calls to them; its fields are hints (a lost update costs one linger more or less).
 */
final class LingerPolicy {

    /** While disengaged, the longest gap between two probes, in hand-offs. */
    static final int PROBE_EVERY = 256;

    /**
     * Lingers in a row that took a request after which one that took none is ridden out once instead of disengaging: a
     * hiccup of requests that come back to back (the peer descheduled for longer than the linger). Disengaging on it
     * cost up to {@value #PROBE_EVERY} hand-offs to a parked handler thread before a probe engaged again (before the
     * probes' gap grew from one hand-off): under the C reference host a plain-Java plugin's blocking {@code add} saw
     * 17-44 such hiccups in 1.5 million calls, and 14-30 thousand hand-offs, 1-2 % of its calls at about 10 µs each,
     * its p99. Requests paced further apart than the linger rarely make such a streak (a late one, then one that
     * catches up), so they disengage at the first empty linger as before: riding out every single empty linger instead
     * (three in a row to disengage) kept handler threads reading in vain there, and calls 100 µs apart saw their p99
     * grow from about 100 µs to 150-390 µs.
     */
    static final int STREAK = 16;

    /** Whether lingers took requests lately; starts engaged, so that the first hand-off tries. */
    private volatile boolean engaged = true;

    /** Hand-offs since the last probe while disengaged; plain: racing threads may lose a count, which only moves the next probe. */
    private int handOffs;

    /** Hand-offs from one probe to the next while disengaged: 1 after disengaging, doubling up to {@link #PROBE_EVERY}; plain. */
    private int probeGap = 1;

    /** Lingers in a row that took a request, up to {@link #STREAK}; plain, for the same reason. */
    private int tookInARow;

    /**
     * A call is handed to a handler thread: whether that thread is to read for the next request once it answered
     * (while engaged, or as a probe). The receive loop then leaves it the ring for a moment.
     */
    boolean afterHandOff() {
        if (this.engaged) {
            return true;
        }
        if (++this.handOffs < this.probeGap) {
            return false;
        }
        this.handOffs = 0;
        this.probeGap = Math.min(this.probeGap << 1, PROBE_EVERY);
        return true;
    }

    /**
     * Whether a handler thread that answered reads for the next request: one the hand-off told to ({@code told}: see
     * {@link #afterHandOff()}), or any while engaged (a thread that took a request by reading asks again after it).
     */
    boolean shouldLinger(boolean told) {
        return told || this.engaged;
    }

    /**
     * A linger ended: it took a request (stay, or become, engaged) or none (disengage, unless it broke a streak of
     * {@link #STREAK} that took: then the streak starts again).
     */
    void lingered(boolean took) {
        if (took) {
            if (this.tookInARow < STREAK) {
                this.tookInARow++;
            }
            if (!this.engaged) {
                this.engaged = true;
            }
            return;
        }
        boolean hiccup = this.tookInARow >= STREAK;
        this.tookInARow = 0;
        if (this.engaged && !hiccup) {
            this.handOffs = 0;
            this.probeGap = 1;
            this.engaged = false;
        }
    }

    /** Whether handler threads read for their next request now (for tests). */
    boolean isEngaged() {
        return this.engaged;
    }
}
