package io.rapace.core.operations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionState;
import io.rapace.transport.shm.PeerState;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.TransportClosedException;
import io.rapace.transport.shm.TransportStats;
import org.jspecify.annotations.Nullable;

/**
 * {@link RapaceOperations} answered from a session alone: one health component, {@code rapace}, and the session's
 * meters under the names the Spring starter registers ({@code docs/spring-boot.md}). A plain-Java plugin serves
 * this; a Spring Boot plugin serves it too when it has no health contributors or no meter registry.
 */
public final class SessionOperations implements RapaceOperations {

    /** The name of the session's health component. */
    public static final String COMPONENT = "rapace";

    private final Supplier<@Nullable RpcSession> session;

    /** Operations over the session {@code session} gives (null before the session has started). */
    public SessionOperations(Supplier<@Nullable RpcSession> session) {
        this.session = session;
    }

    @Override
    public PluginHealth health() {
        HealthComponent component = component();
        return new PluginHealth(component.status(), List.of(component));
    }

    /** The {@code rapace} component: the session's state, the peer's heartbeat, the rings and the slots. */
    public HealthComponent component() {
        RpcSession current = this.session.get();
        Map<String, String> details = new TreeMap<>();
        if (current == null) {
            details.put("state", "NOT_STARTED");
            return new HealthComponent(COMPONENT, "UNKNOWN", details);
        }
        SessionState state = current.state();
        details.put("state", state.name());
        ShmTransport transport = current.transport();
        details.put("path", String.valueOf(transport.path()));
        String status;
        try {
            PeerState peer = current.peerState();
            details.put("peerState", peer.name());
            status = status(state, peer);
            if (state.isOpen() && peer == PeerState.STALLED) {
                details.put("reason", "the peer's heartbeat has not moved for longer than the liveness timeout"
                        + " (stalled: stopped, paused or suspended; calls fail by their own deadlines)");
            }
            else if (peer == PeerState.GONE) {
                details.put("reason", "the peer is gone");
            }
            Duration age = current.peerHeartbeatAge();
            details.put("peerHeartbeatAge", age == null ? "not started" : millis(age.toNanos() / 1e9));
            TransportStats stats = transport.stats();
            details.put("ringOccupancy", "send=" + stats.sendRingOccupancy() + ", receive="
                    + stats.receiveRingOccupancy() + ", capacity=" + stats.ringCapacity());
            details.put("slotsInUse", Integer.toString(stats.slotsInUse()));
            details.put("slotCount", Integer.toString(stats.slotCount()));
        }
        catch (TransportClosedException closed) {
            status = "DOWN";
            details.put("reason", "the segment is closed");
        }
        return new HealthComponent(COMPONENT, status, details);
    }

    /** UP while open with a live peer, OUT_OF_SERVICE while the peer is stalled (not dead), DOWN otherwise. */
    private static String status(SessionState state, PeerState peer) {
        if (!state.isOpen() || peer == PeerState.GONE) {
            return "DOWN";
        }
        return (peer == PeerState.STALLED) ? "OUT_OF_SERVICE" : "UP";
    }

    @Override
    public List<MeterReading> metrics(String namePrefix) {
        RpcSession current = this.session.get();
        if (current == null) {
            return List.of();
        }
        TransportStats stats = current.transport().stats();
        List<MeterReading> readings = new ArrayList<>();
        readings.add(reading("rapace.frames", "direction", "send", "COUNT", stats.framesSent()));
        readings.add(reading("rapace.frames", "direction", "receive", "COUNT", stats.framesReceived()));
        readings.add(reading("rapace.bytes", "direction", "send", "COUNT", stats.bytesSent()));
        readings.add(reading("rapace.bytes", "direction", "receive", "COUNT", stats.bytesReceived()));
        readings.add(reading("rapace.frames.invalid", null, null, "COUNT", stats.invalidFrames()));
        readings.add(reading("rapace.ring.occupancy", "direction", "send", "VALUE", stats.sendRingOccupancy()));
        readings.add(reading("rapace.ring.occupancy", "direction", "receive", "VALUE",
                stats.receiveRingOccupancy()));
        readings.add(reading("rapace.ring.capacity", null, null, "VALUE", stats.ringCapacity()));
        readings.add(reading("rapace.slots.in.use", null, null, "VALUE", stats.slotsInUse()));
        readings.add(reading("rapace.slots.count", null, null, "VALUE", stats.slotCount()));
        Duration age = current.peerHeartbeatAge();
        readings.add(reading("rapace.peer.heartbeat.age", null, null, "VALUE",
                age == null ? Double.NaN : age.toNanos() / 1e9));
        readings.add(reading("rapace.calls.pending", null, null, "VALUE", current.pendingCalls()));
        readings.add(reading("rapace.server.calls.active", null, null, "VALUE", current.activeServerCalls()));
        return readings.stream().filter(reading -> reading.name().startsWith(namePrefix)).sorted(MeterReading.ORDER).toList();
    }

    /** Seconds as milliseconds with one decimal, for a detail read by people ({@code "212.3 ms"}). */
    public static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
    }

    private static MeterReading reading(String name, @Nullable String tag, @Nullable String tagValue, String statistic,
            double value) {
        return new MeterReading(name, tag == null || tagValue == null ? Map.of() : Map.of(tag, tagValue), statistic,
                value);
    }
}
