package io.rapace.transport.shm;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * How a transport opens and watches its segment.
 *
 * @param openTimeout how long {@link ShmTransport#open} waits for the file and a valid header (5 s)
 * @param livenessTimeout a peer whose last heartbeat is older than this is dead (3 s, spec §3)
 * @param heartbeatInterval how often this side writes its heartbeat while idle (250 ms; the spec asks
 *     for at most 500 ms)
 * @param expectedConfig a geometry the caller pins: {@code open} fails if the segment has another.
 *     {@code null} (the default) follows the segment (spec §8). Ignored by {@code create}.
 * @param idleStrategy makes one idle strategy per waiting thread
 * @param wakeExtension run the wake extension ({@code docs/wake-extension.md}; default on): advertise it
 *     in the segment header and, when the peer runs it too, sleep in the kernel when idle and wake the
 *     peer's sleeping receiver. Needs Linux and native access ({@code --enable-native-access=ALL-UNNAMED});
 *     without them it is silently off. Against a peer without it, nothing changes on the wire.
 */
public record ShmOptions(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
        @Nullable ShmConfig expectedConfig, Supplier<IdleStrategy> idleStrategy, boolean wakeExtension) {

    /** Default open timeout, 5 s (spec §8). */
    public static final Duration DEFAULT_OPEN_TIMEOUT = Duration.ofSeconds(5);

    /** Default liveness timeout, 3 s (spec §3). */
    public static final Duration DEFAULT_LIVENESS_TIMEOUT = Duration.ofSeconds(3);

    /** Default heartbeat interval, 250 ms. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(250);

    /** Validates: durations positive (open timeout may be zero), heartbeat shorter than liveness. */
    public ShmOptions {
        Objects.requireNonNull(openTimeout, "openTimeout");
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
    }

    /** The options before the wake extension existed; the extension is on. */
    public ShmOptions(Duration openTimeout, Duration livenessTimeout, Duration heartbeatInterval,
            @Nullable ShmConfig expectedConfig, Supplier<IdleStrategy> idleStrategy) {
        this(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, true);
    }

    /**
     * 5 s open timeout, 3 s liveness, 250 ms heartbeat, geometry from the segment, backoff idling, wake
     * extension on.
     */
    public static ShmOptions defaults() {
        return new ShmOptions(DEFAULT_OPEN_TIMEOUT, DEFAULT_LIVENESS_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, null,
                BackoffIdleStrategy::new, true);
    }

    /** A copy with another open timeout. */
    public ShmOptions withOpenTimeout(Duration value) {
        return new ShmOptions(value, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, wakeExtension);
    }

    /** A copy with another liveness timeout. */
    public ShmOptions withLivenessTimeout(Duration value) {
        return new ShmOptions(openTimeout, value, heartbeatInterval, expectedConfig, idleStrategy, wakeExtension);
    }

    /** A copy with another heartbeat interval. */
    public ShmOptions withHeartbeatInterval(Duration value) {
        return new ShmOptions(openTimeout, livenessTimeout, value, expectedConfig, idleStrategy, wakeExtension);
    }

    /** A copy that pins (or, with {@code null}, stops pinning) the segment geometry. */
    public ShmOptions withExpectedConfig(@Nullable ShmConfig value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, value, idleStrategy, wakeExtension);
    }

    /** A copy with another idle strategy factory. */
    public ShmOptions withIdleStrategy(Supplier<IdleStrategy> value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, value, wakeExtension);
    }

    /** A copy with the wake extension on or off (off: the segment and rings look exactly like v1.0). */
    public ShmOptions withWakeExtension(boolean value) {
        return new ShmOptions(openTimeout, livenessTimeout, heartbeatInterval, expectedConfig, idleStrategy, value);
    }
}
