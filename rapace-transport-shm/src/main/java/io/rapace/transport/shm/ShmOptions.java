package io.rapace.transport.shm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How a transport opens and watches its segment.
 *
 * @param openTimeout how long {@link ShmTransport#open} waits for the file and a valid header (5 s)
 * @param livenessTimeout a peer whose heartbeat has not moved for longer than this is stalled (3 s, spec §3):
 *     calls fail by their own deadlines, the transport carries on when it moves again
 * @param heartbeatInterval how often this side writes its heartbeat while idle (400 ms; the spec asks
 *     for at most 500 ms)
 * @param expectedConfig a geometry the caller pins: {@code open} fails if the segment has another.
 *     {@code null} (the default) follows the segment (spec §8). Ignored by {@code create}.
 * @param idleStrategy makes one idle strategy per waiting thread
 * @param wakeExtension run the wake extension ({@code docs/wake-extension.md}; default on): advertise it
 *     in the segment header and, when the peer runs it too, sleep in the kernel when idle and wake the
 *     peer's sleeping receiver. Needs Linux and native access ({@code --enable-native-access=ALL-UNNAMED});
 *     without them it is silently off. Against a peer without it, nothing changes on the wire.
 * @param peerGoneAfter a peer stalled for longer than this is gone for good (30 s), unless its process is
 *     watched ({@link ShmTransport#peerProcessWatched()}): then only its exit
 *     ({@link ShmTransport#markPeerGone}) is. At least {@code livenessTimeout}.
 */
public record ShmOptions(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
        @Nullable ShmConfig expectedConfig, Supplier<IdleStrategy> idleStrategy, boolean wakeExtension,
        Duration peerGoneAfter) {

    /** Default open timeout, 5 s (spec §8). */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);

    /** Default liveness timeout, 3 s (spec §3). */
    public static final Duration DEFAULT_LIVENESS_TIMEOUT = Duration.ofSeconds(3);

    /** Default stall after which an unwatched peer is gone, 30 s. */
    public static final Duration DEFAULT_PEER_GONE_AFTER = Duration.ofSeconds(30);

    /**
     * Default heartbeat interval, 400 ms: within the spec's 500 ms with room for a late wake-up. Each beat wakes an
     * idle thread, about 130 µs of CPU on a VM: over 30 s of idle the heartbeat thread took 0.052-0.055 % of a core at
     * 250 ms, 0.032-0.048 % at 400 ms (docs/performance-notes.md, "Idle CPU").
     */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(400);

    /**
     * Validates: durations positive (open timeout may be zero), heartbeat shorter than liveness, peer gone
     * after no shorter than liveness.
     */
    public ShmOptions {
        Objects.requireNonNull(openTimeout, "openTimeout");
        Objects.requireNonNull(peerGoneAfter, "peerGoneAfter");
        Objects.requireNonNull(livenessTimeout, "livenessTimeout");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(idleStrategy, "idleStrategy");
        if (openTimeout.isNegative()) {
            throw new IllegalArgumentException("openTimeout=" + openTimeout + " must be >= 0");
        }
        if (!livenessTimeout.isPositive()) {
            throw new IllegalArgumentException("livenessTimeout=" + livenessTimeout + " must be > 0");
        }
        if (!heartbeatInterval.isPositive() || heartbeatInterval.compareTo(livenessTimeout) >= 0) {
            throw new IllegalArgumentException("heartbeatInterval=" + heartbeatInterval
                    + " must be > 0 and shorter than livenessTimeout=" + livenessTimeout);
        }
        if (peerGoneAfter.compareTo(livenessTimeout) < 0) {
            throw new IllegalArgumentException("peerGoneAfter=" + peerGoneAfter + " must be at least livenessTimeout="
                    + livenessTimeout);
        }
    }

    /** The options before {@code peerGoneAfter} existed; it is {@link #DEFAULT_PEER_GONE_AFTER} (or the liveness timeout, if longer). */
    public ShmOptions(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
            @Nullable ShmConfig expectedConfig, Supplier<IdleStrategy> idleStrategy, boolean wakeExtension) {
        this(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, wakeExtension,
                defaultGoneAfter(livenessTimeout));
    }

    /** The options before the wake extension existed; the extension is on. */
    public ShmOptions(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
            @Nullable ShmConfig expectedConfig, Supplier<IdleStrategy> idleStrategy) {
        this(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, true);
    }

    private static Duration defaultGoneAfter(@Nullable Duration livenessTimeout) {
        return livenessTimeout != null && livenessTimeout.compareTo(DEFAULT_PEER_GONE_AFTER) > 0 ? livenessTimeout
                : DEFAULT_PEER_GONE_AFTER;
    }

    /**
     * 5 s open timeout, 3 s liveness, 400 ms heartbeat, geometry from the segment, backoff idling, wake
     * extension on, an unwatched peer gone after a 30 s stall.
     */
    public static ShmOptions defaults() {
        return new ShmOptions(DEFAULT_OPEN_TIMEOUT, DEFAULT_LIVENESS_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, null,
                BackoffIdleStrategy::new, true, DEFAULT_PEER_GONE_AFTER);
    }

    /** A copy with another open timeout. */
    public ShmOptions withOpenTimeout(Duration value) {
        return new ShmOptions(value, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, wakeExtension, peerGoneAfter);
    }

    /**
     * A copy with another liveness timeout; {@code peerGoneAfter} grows with it should it become shorter
     * than the new timeout, and the default heartbeat interval shrinks to half of it should the timeout be no
     * longer than that default (a timeout of 300 ms was valid with the 250 ms default of earlier versions). A
     * heartbeat interval set otherwise stays, and must be shorter than the timeout.
     */
    public ShmOptions withLivenessTimeout(Duration value) {
        Duration goneAfter = value != null && peerGoneAfter.compareTo(value) < 0 ? value : peerGoneAfter;
        Duration heartbeat = value != null && value.isPositive() && heartbeatInterval.equals(DEFAULT_HEARTBEAT_INTERVAL)
                && heartbeatInterval.compareTo(value) >= 0 ? value.dividedBy(2) : heartbeatInterval;
        return new ShmOptions(openTimeout, value, heartbeat, expectedConfig, idleStrategy, wakeExtension, goneAfter);
    }

    /** A copy with another heartbeat interval. */
    public ShmOptions withHeartbeatInterval(Duration value) {
        return new ShmOptions(openTimeout, livenessTimeout, value, expectedConfig, idleStrategy, wakeExtension, peerGoneAfter);
    }

    /** A copy that pins (or, with {@code null}, stops pinning) the segment geometry. */
    public ShmOptions withExpectedConfig(@Nullable ShmConfig value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, value, idleStrategy, wakeExtension, peerGoneAfter);
    }

    /** A copy with another idle strategy factory. */
    public ShmOptions withIdleStrategy(Supplier<IdleStrategy> value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, value, wakeExtension, peerGoneAfter);
    }

    /** A copy with the wake extension on or off (off: the segment and rings look exactly like v1.0). */
    public ShmOptions withWakeExtension(boolean value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, value, peerGoneAfter);
    }

    /** A copy with another stall after which an unwatched peer is gone. */
    public ShmOptions withPeerGoneAfter(Duration value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, wakeExtension,
                value);
    }
}
