package io.rapace.transport.shm;

import io.rapace.transport.shm.layout.SegmentLayout;
import java.time.Duration;

/**
 * How often this side beats while idle, and the slow-beats extension that lengthens it (docs/wake-extension.md,
 * section 12). A side whose liveness timeout is at least {@link #MIN_LIVENESS_TIMEOUT} promises, by its
 * ACCEPTS_SLOW_BEATS bit in {@code SegmentHeader.flags}, that a beat of the other side every {@link #SLOW_INTERVAL}
 * keeps that side alive in its eyes; the other side, once it has seen the bit, beats at that pace while idle instead of
 * its default 400 ms. Every beat of an idle process wakes its heartbeat thread, which costs 130-590 µs of a core on a VM
 * (docs/BENCHMARKS.md, "Idle CPU"): the heartbeat is the largest part of an idle Java peer's CPU.
 *
 * <p>Only the default interval lengthens: an interval the user set stays as set. A v1.0 peer never sets the bit, so
 * against one nothing changes: the spec's "at least every 500 ms" holds. Read by the heartbeat thread under its
 * heartbeat's monitor.
 */
final class BeatPace {

    /** The shortest liveness timeout with which a side accepts slow beats: spec §3's 3 s. */
    static final Duration MIN_LIVENESS_TIMEOUT = Duration.ofSeconds(3);

    /** The idle interval towards a peer that accepts slow beats. */
    static final Duration SLOW_INTERVAL = Duration.ofSeconds(1);

    private static final long SLOW_INTERVAL_NANOS = SLOW_INTERVAL.toNanos();

    /** The header whose flags say whether the peer accepts slow beats. */
    private final SegmentHeaderView header;

    /** The peer's ACCEPTS_SLOW_BEATS bit; 0 for a pace that never lengthens. */
    private final int peerBit;

    /** The interval now: the configured one until the peer's bit was seen, then {@link #SLOW_INTERVAL}. */
    private long intervalNanos;

    private BeatPace(SegmentHeaderView header, int peerBit, long intervalNanos) {
        this.header = header;
        this.peerBit = peerBit;
        this.intervalNanos = intervalNanos;
    }

    /**
     * The pace of {@code role}'s heartbeat on {@code header} with {@code options}: the configured interval, lengthened
     * to {@link #SLOW_INTERVAL} once the peer accepts slow beats, if the configured interval is the default one and
     * this project's extensions are on.
     */
    static BeatPace of(SegmentHeaderView header, PeerRole role, ShmOptions options) {
        long configured = options.heartbeatInterval().toNanos();
        boolean mayLengthen = options.wakeExtension()
                && options.heartbeatInterval().equals(ShmOptions.DEFAULT_HEARTBEAT_INTERVAL);
        int peerBit = role == PeerRole.HOST ? SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_B
                : SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A;
        return new BeatPace(header, mayLengthen ? peerBit : 0, configured);
    }

    /** A pace that stays at {@code intervalNanos} (tests, the heartbeat's warm-up). */
    static BeatPace fixed(SegmentHeaderView header, long intervalNanos) {
        return new BeatPace(header, 0, intervalNanos);
    }

    /**
     * Whether a side with {@code options} accepts slow beats from its peer: this project's extensions on and a liveness
     * timeout of at least {@link #MIN_LIVENESS_TIMEOUT}.
     */
    static boolean accepts(ShmOptions options) {
        return options.wakeExtension() && options.livenessTimeout().compareTo(MIN_LIVENESS_TIMEOUT) >= 0;
    }

    /** The host's bit at creation: {@link SegmentLayout#FLAG_ACCEPTS_SLOW_BEATS_A} when it accepts slow beats, else 0. */
    static int hostBit(ShmOptions options) {
        return accepts(options) ? SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A : 0;
    }

    /**
     * The plugin's promise: sets {@link SegmentLayout#FLAG_ACCEPTS_SLOW_BEATS_B} when it accepts slow beats and the
     * host set {@link SegmentLayout#FLAG_ACCEPTS_SLOW_BEATS_A}; otherwise writes nothing (a v1.0 host's header stays
     * as it wrote it).
     */
    static void promiseAsPlugin(SegmentHeaderView header, ShmOptions options) {
        if (accepts(options)) {
            header.orFlagsIfSet(SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_A, SegmentLayout.FLAG_ACCEPTS_SLOW_BEATS_B);
        }
    }

    /**
     * The interval to the next idle beat: looks at the peer's bit (an acquire load of the flags) at each call until it
     * has seen it once (a plugin may set it after the host started; bits are never cleared).
     */
    long intervalNanos() {
        if (this.peerBit != 0 && this.intervalNanos != SLOW_INTERVAL_NANOS
                && (this.header.flagsAcquire() & this.peerBit) != 0) {
            this.intervalNanos = SLOW_INTERVAL_NANOS;
        }
        return this.intervalNanos;
    }

    /** Whether the peer's promise was seen and the pace lengthened (for tests and figures). */
    boolean slow() {
        return this.peerBit != 0 && this.intervalNanos == SLOW_INTERVAL_NANOS;
    }
}
