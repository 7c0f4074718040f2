package io.rapace.spring.boot.health;

import java.util.LinkedHashMap;
import java.util.Map;

import io.rapace.core.operations.SessionOperations;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionState;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.transport.shm.PeerState;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.TransportClosedException;
import io.rapace.transport.shm.TransportStats;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the rapace session: UP while the session runs and the host's heartbeat moves, OUT_OF_SERVICE while
 * the host is stalled (its heartbeat stands still; the session waits for it), DOWN when the host is gone or the
 * session has ended or the lifecycle stopped, UNKNOWN before the first start. Details: {@code path}, {@code state}, {@code peerState},
 * {@code peerHeartbeatAge} (how long the heartbeat has not moved), {@code ringOccupancy} (send, receive, capacity),
 * {@code slotsInUse}, {@code slotCount}.
 */
public class RapaceHealthIndicator extends AbstractHealthIndicator {

    private final RapaceSessionLifecycle lifecycle;

    /** An indicator of the session that {@code lifecycle} runs. */
    public RapaceHealthIndicator(RapaceSessionLifecycle lifecycle) {
        super("rapace health check failed");
        Assert.notNull(lifecycle, "'lifecycle' must not be null");
        this.lifecycle = lifecycle;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        builder.withDetail("path", this.lifecycle.path().path().toString());
        ShmTransport transport = this.lifecycle.transport();
        RpcSession session = this.lifecycle.lastSession();
        if (session == null || transport == null) {
            builder.unknown().withDetail("state", "NOT_STARTED");
            return;
        }
        SessionState state = session.state();
        builder.withDetail("state", state.name());
        if (!state.isOpen() || session.closeFuture().isDone()) {
            builder.down();
        }
        else if (transport.isClosed()) {
            builder.down().withDetail("reason", "the segment is closed");
        }
        else {
            checkPeer(builder, transport);
        }
        try {
            if (!transport.isClosed()) {
                addTransportDetails(builder, transport);
            }
        }
        catch (TransportClosedException ex) {
            // Closed while we looked: the status above already says so; the segment's figures are gone.
        }
    }

    /**
     * UP while the host's heartbeat moves, OUT_OF_SERVICE while it is stalled (not dead: the session waits and
     * calls fail by their own deadlines), DOWN when it is gone; DOWN, never an error, when the segment closes
     * while we look.
     */
    private static void checkPeer(Health.Builder builder, ShmTransport transport) {
        try {
            PeerState peer = transport.peerState();
            if (peer == PeerState.STALLED) {
                builder.outOfService().withDetail("reason", "the host's heartbeat has not moved for longer than"
                        + " the liveness timeout (stalled: stopped, paused or suspended)");
            }
            else if (peer == PeerState.GONE) {
                builder.down().withDetail("reason", "the host is gone");
            }
            else {
                builder.up();
            }
        }
        catch (TransportClosedException ex) {
            builder.down().withDetail("reason", "the segment is closed");
        }
    }

    private static void addTransportDetails(Health.Builder builder, ShmTransport transport) {
        builder.withDetail("peerState", transport.peerState().name());
        long ageNanos = transport.peerHeartbeatAgeNanos();
        builder.withDetail("peerHeartbeatAge", (ageNanos < 0) ? "not started" : SessionOperations.millis(ageNanos / 1e9));
        TransportStats stats = transport.stats();
        Map<String, Integer> occupancy = new LinkedHashMap<>();
        occupancy.put("send", stats.sendRingOccupancy());
        occupancy.put("receive", stats.receiveRingOccupancy());
        occupancy.put("capacity", stats.ringCapacity());
        builder.withDetail("ringOccupancy", occupancy)
            .withDetail("slotsInUse", stats.slotsInUse())
            .withDetail("slotCount", stats.slotCount());
    }
}
