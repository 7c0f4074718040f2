package io.rapace.transport.shm;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Judges the peer by its heartbeat moving (spec §3): the peer's {@code last_seen} and {@code epoch} are
 * compared with what we read last, and the time since either changed is measured on our monotonic
 * clock. A wall-clock step (NTP, suspend/resume) on either side changes nothing; a peer that stops
 * heartbeating is {@link PeerState#STALLED}, not dead. Dead ({@link PeerState#GONE}) is told from outside
 * ({@link #markGone}, the peer's process exited) or, when no one watches the peer's process, follows a
 * stall longer than {@code peerGoneAfter}.
 *
 * <p>Thread-safe without locks: the receive thread, waiting senders and health checks all read. Two
 * readers may race to record a change; the worst outcome is that a change is recorded twice a few
 * nanoseconds apart, which only delays a stall verdict by that much. A frozen heartbeat is read as the same
 * value by everyone, so a stall is never hidden.
 */
final class PeerLiveness {

    /** {@code peerGoneAfter} when the peer's process is watched instead: never from the heartbeat alone. */
    private static final long NEVER = Long.MAX_VALUE;

    /** How often a stalled peer's closing is probed (a file-system call): at most every 100 ms. */
    private static final long CLOSE_PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final SegmentHeaderView header;
    private final PeerRole peer;
    private final Duration timeout;
    private final long timeoutNanos;
    /** For messages; volatile: lowered once by {@link #judgeBySpec} before the transport is shared. */
    private volatile Duration goneAfter;
    private final LongSupplier monotonicClock;
    private final BooleanSupplier peerClosed;
    private final String transportName;

    /** The peer's {@code last_seen} as last read; volatile: read and written by any reading thread. */
    private volatile long lastSeen;
    /** The peer's {@code epoch} as last read; volatile: as {@link #lastSeen}. */
    private volatile long lastEpoch;
    /** Our monotonic time when {@link #lastSeen} or {@link #lastEpoch} last changed; volatile: as above. */
    private volatile long changedAt;
    /** The stall that makes the peer gone, or {@link #NEVER}; volatile: switched off by another thread. */
    private volatile long goneAfterNanos;
    /** Why the peer is gone, null while it is not; volatile: set by a process watcher, read by all. */
    private volatile @Nullable String goneReason;
    /** Whether the peer is gone because it closed the segment (not died); volatile: read by any thread. */
    private volatile boolean closedByPeer;
    /** Our monotonic time of the next closing probe; volatile: any reading thread may probe (a race only probes twice). */
    private volatile long nextCloseProbe;

    /**
     * @param peerClosed whether the peer closed the segment for good (a plugin's host removed the file): probed
     *     only while the peer is stalled, and then it is gone at once, whether or not its process is watched
     */
    PeerLiveness(SegmentHeaderView header, PeerRole peer, Duration timeout, Duration goneAfter, String transportName,
            BooleanSupplier peerClosed) {
        this(header, peer, timeout, goneAfter, transportName, System::nanoTime, peerClosed);
    }

    /** With the monotonic clock as a seam (tests). */
    PeerLiveness(SegmentHeaderView header, PeerRole peer, Duration timeout, Duration goneAfter, String transportName,
            LongSupplier monotonicClock) {
        this(header, peer, timeout, goneAfter, transportName, monotonicClock, () -> false);
    }

    private PeerLiveness(SegmentHeaderView header, PeerRole peer, Duration timeout, Duration goneAfter,
            String transportName, LongSupplier monotonicClock, BooleanSupplier peerClosed) {
        this.header = header;
        this.peer = peer;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.goneAfter = goneAfter;
        this.goneAfterNanos = goneAfter.toNanos();
        this.transportName = transportName;
        this.monotonicClock = monotonicClock;
        this.peerClosed = peerClosed;
        this.changedAt = monotonicClock.getAsLong();
        this.nextCloseProbe = this.changedAt;
    }

    /** Reads the peer's heartbeat (two loads and a clock read) and says what it means now. */
    PeerState state() {
        if (goneReason != null) {
            return PeerState.GONE;
        }
        long stillFor = observe();
        if (stillFor < 0) {
            return PeerState.NOT_STARTED;
        }
        if (stillFor <= timeoutNanos) {
            return PeerState.ALIVE;
        }
        if (stillFor > goneAfterNanos) {
            markGone("its heartbeat has not moved for " + TimeUnit.NANOSECONDS.toMillis(stillFor)
                    + " ms, beyond peerGoneAfter=" + goneAfter + " (its process is not watched)");
            return PeerState.GONE;
        }
        if (closedWhileStalled()) {
            markClosed("it closed the segment: its heartbeat stopped and it removed the segment file");
            return PeerState.GONE;
        }
        return PeerState.STALLED;
    }

    /** Probes (at most every 100 ms) whether a stalled peer closed the segment for good. */
    private boolean closedWhileStalled() {
        long now = monotonicClock.getAsLong();
        if (now - nextCloseProbe < 0) {
            return false;
        }
        nextCloseProbe = now + CLOSE_PROBE_INTERVAL_NANOS;
        return peerClosed.getAsBoolean();
    }

    /** How long the peer's heartbeat has not moved, on our monotonic clock; -1 before its first beat. */
    long stillForNanos() {
        return observe();
    }

    /** Throws {@link PeerDiedException} when the peer is {@link PeerState#GONE}; a stall passes. */
    void check() {
        if (state() == PeerState.GONE) {
            long stillFor = Math.max(0, observe());
            throw new PeerDiedException("peer " + peer + " (" + peer.specName() + ") is gone: " + goneReason + " ("
                    + transportName + ")", stillFor);
        }
    }

    /** Whether the peer was declared gone from outside ({@link #markGone}): one volatile read, no heartbeat look. */
    boolean markedGone() {
        return goneReason != null;
    }

    /** The peer's process is gone: from now on {@link PeerState#GONE}. The first reason wins. */
    synchronized void markGone(String reason) {
        if (goneReason == null) {
            goneReason = reason;
        }
    }

    /** The peer closed the segment: {@link PeerState#GONE}, and {@link #closedByPeer()}, unless it was gone already. */
    private synchronized void markClosed(String reason) {
        if (goneReason == null) {
            // Before the reason is published (volatile write): whoever sees GONE also sees why.
            closedByPeer = true;
            goneReason = reason;
        }
    }

    /** The peer's process is watched by someone who calls {@link #markGone}: no verdict from a stall alone. */
    void peerProcessWatched() {
        goneAfterNanos = NEVER;
    }

    /**
     * The peer is a v1.0 peer, which expects spec §3 as written: a stall beyond the liveness timeout is death
     * (unless its process is watched, see {@link #peerProcessWatched}).
     */
    void judgeBySpec() {
        if (goneAfterNanos != NEVER) {
            goneAfterNanos = Math.min(goneAfterNanos, timeoutNanos);
            goneAfter = timeout.compareTo(goneAfter) < 0 ? timeout : goneAfter;
        }
    }

    /** Whether the peer is gone because it closed the segment (stopped heartbeating and removed the file). */
    boolean closedByPeer() {
        return closedByPeer;
    }

    /** The liveness timeout, for messages. */
    Duration timeout() {
        return timeout;
    }

    /** Records a change of the heartbeat; returns how long it has stood still, or -1 before its first beat. */
    private long observe() {
        long seen = header.lastSeen(peer);
        long epoch = header.epoch(peer);
        long now = monotonicClock.getAsLong();
        if (seen != lastSeen || epoch != lastEpoch) {
            lastSeen = seen;
            lastEpoch = epoch;
            changedAt = now;
        }
        if (seen == 0) {
            return -1;
        }
        return Math.max(0, now - changedAt);
    }
}
