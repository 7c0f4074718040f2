package io.rapace.spring.boot.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.TransportClosedException;
import io.rapace.transport.shm.TransportStats;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Meters over the live {@link TransportStats} of the plugin's segment. Every meter reads the transport that the
 * supplier returns when it is sampled (nothing is recorded on the frame path), so the meters can be bound before
 * the segment is opened and follow it when a restart opens it again. Before the first open and once the transport
 * is closed the ring and slot gauges read 0 and the heartbeat age reads NaN (as before the host's first
 * heartbeat); the counters keep their totals, summed over every transport seen.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>Name</th><th>Type</th><th>Tags</th><th>Meaning</th></tr>
 * <tr><td>rapace.ring.occupancy</td><td>gauge</td><td>direction=send|receive</td><td>descriptors waiting in the ring</td></tr>
 * <tr><td>rapace.ring.capacity</td><td>gauge</td><td></td><td>descriptors per ring</td></tr>
 * <tr><td>rapace.slots.in.use</td><td>gauge</td><td></td><td>data slots allocated, by either peer</td></tr>
 * <tr><td>rapace.slots.count</td><td>gauge</td><td></td><td>data slots in the segment</td></tr>
 * <tr><td>rapace.peer.heartbeat.age</td><td>time gauge (seconds)</td><td></td><td>age of the host's heartbeat</td></tr>
 * <tr><td>rapace.frames</td><td>function counter</td><td>direction=send|receive</td><td>frames sent and received</td></tr>
 * <tr><td>rapace.bytes</td><td>function counter (bytes)</td><td>direction=send|receive</td><td>payload bytes sent and received</td></tr>
 * <tr><td>rapace.frames.invalid</td><td>function counter</td><td></td><td>received frames dropped as invalid</td></tr>
 * </table>
 */
public class RapaceMetrics implements MeterBinder {

    private static final String DIRECTION = "direction";

    private final Supplier<@Nullable ShmTransport> transports;

    private final Tags tags;

    // Function counters hold their state weakly: the binder keeps the totals alive for as long as it lives.
    private final List<Total> totals = new CopyOnWriteArrayList<>();

    /**
     * Meters over the transport that {@code transports} returns at each sample (null while there is none), each
     * carrying {@code tags}.
     */
    public RapaceMetrics(Supplier<@Nullable ShmTransport> transports, Iterable<Tag> tags) {
        Assert.notNull(transports, "'transports' must not be null");
        Assert.notNull(tags, "'tags' must not be null");
        this.transports = transports;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "rapace.ring.occupancy", "send", "Descriptors waiting in the ring this plugin writes",
                TransportStats::sendRingOccupancy);
        gauge(registry, "rapace.ring.occupancy", "receive", "Descriptors waiting in the ring this plugin reads",
                TransportStats::receiveRingOccupancy);
        gauge(registry, "rapace.ring.capacity", null, "Descriptors per ring", TransportStats::ringCapacity);
        gauge(registry, "rapace.slots.in.use", null, "Data slots allocated by either peer", TransportStats::slotsInUse);
        gauge(registry, "rapace.slots.count", null, "Data slots in the segment", TransportStats::slotCount);
        TimeGauge.builder("rapace.peer.heartbeat.age", this.transports, TimeUnit.NANOSECONDS,
                RapaceMetrics::heartbeatAge)
            .description("Time since the host's last heartbeat")
            .tags(this.tags)
            .strongReference(true)
            .register(registry);
        counter(registry, "rapace.frames", "send", null, "Frames sent", TransportStats::framesSent);
        counter(registry, "rapace.frames", "receive", null, "Frames received", TransportStats::framesReceived);
        counter(registry, "rapace.bytes", "send", BaseUnits.BYTES, "Payload bytes sent", TransportStats::bytesSent);
        counter(registry, "rapace.bytes", "receive", BaseUnits.BYTES, "Payload bytes received",
                TransportStats::bytesReceived);
        counter(registry, "rapace.frames.invalid", null, null, "Received frames dropped as invalid",
                TransportStats::invalidFrames);
    }

    private void gauge(MeterRegistry registry, String name, @Nullable String direction,
            String description, ToDoubleFunction<TransportStats> value) {
        Gauge.builder(name, this.transports, (transports) -> read(transports.get(), value))
            .description(description)
            .tags(withDirection(direction))
            .strongReference(true)
            .register(registry);
    }

    private void counter(MeterRegistry registry, String name, @Nullable String direction,
            @Nullable String baseUnit, String description, ToDoubleFunction<TransportStats> value) {
        Total total = new Total(this.transports, value);
        this.totals.add(total);
        FunctionCounter.builder(name, total, Total::read)
            .description(description)
            .baseUnit(baseUnit)
            .tags(withDirection(direction))
            .register(registry);
    }

    private Tags withDirection(@Nullable String direction) {
        return (direction != null) ? this.tags.and(DIRECTION, direction) : this.tags;
    }

    private static double read(@Nullable ShmTransport transport, ToDoubleFunction<TransportStats> value) {
        // The stats stay readable after close: counters keep their totals, gauges read 0.
        return (transport != null) ? value.applyAsDouble(transport.stats()) : 0;
    }

    private static double heartbeatAge(Supplier<@Nullable ShmTransport> transports) {
        ShmTransport transport = transports.get();
        if (transport == null) {
            return Double.NaN;
        }
        try {
            long nanos = transport.peerHeartbeatAgeNanos();
            return (nanos < 0) ? Double.NaN : nanos;
        }
        catch (TransportClosedException ex) {
            return Double.NaN;
        }
    }

    /**
     * One counter summed over every transport seen: when a restart replaces the transport, the final count of the
     * one before (its stats stay readable once closed) is carried over, so the counter never goes back.
     */
    private static final class Total {

        private final Supplier<@Nullable ShmTransport> transports;

        private final ToDoubleFunction<TransportStats> value;

        private @Nullable ShmTransport current;

        private double before;

        Total(Supplier<@Nullable ShmTransport> transports, ToDoubleFunction<TransportStats> value) {
            this.transports = transports;
            this.value = value;
        }

        // Sampling only, never on the frame path: a lock is cheap enough and keeps the carry-over exact.
        synchronized double read() {
            ShmTransport latest = this.transports.get();
            if (latest != this.current) {
                this.before += RapaceMetrics.read(this.current, this.value);
                this.current = latest;
            }
            return this.before + RapaceMetrics.read(latest, this.value);
        }
    }
}
