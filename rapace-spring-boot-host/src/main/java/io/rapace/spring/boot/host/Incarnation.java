package io.rapace.spring.boot.host;

import java.time.Duration;

import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.TransportStats;
import org.jspecify.annotations.Nullable;

/**
 * One run of a plugin: its own {@link RapaceHost} (segment, session, process).
 *
 * @param number 1 for the first incarnation, then one more per launch
 * @param host the running host
 * @param output its standard output and error, forwarded to its logger
 * @param cleanUp removes what its launch made (a container, a segment directory), once its host is closed
 * @param startupTime from launch to the plugin's first heartbeat
 * @param startedNanos when it was ready, on {@link System#nanoTime()}
 */
record Incarnation(int number, RapaceHost host, PluginOutput output, Runnable cleanUp, Duration startupTime,
        long startedNanos) {

    Incarnation(int number, RapaceHost host, PluginOutput output, Runnable cleanUp, Duration startupTime) {
        this(number, host, output, cleanUp, startupTime, System.nanoTime());
    }

    /** Whether the process still lives (it may have died before the supervisor noticed). */
    boolean isAlive() {
        return this.host.process().isAlive();
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - this.startedNanos);
    }

    /**
     * How long the plugin's heartbeat has stood still, or null before its first beat or once the session ended
     * (measured on this JVM's monotonic clock from when a reader last saw it move: never more than the truth).
     */
    @Nullable Duration heartbeatAge() {
        return this.host.session().peerHeartbeatAge();
    }

    /** Its figures now, for {@link PluginStatus}. */
    PluginStatus.Running status() {
        RpcSession session = this.host.session();
        TransportStats stats = session.transport().stats();
        return new PluginStatus.Running(this.host.process().pid(), this.host.path(), uptime(), this.startupTime,
                session.peerState(), session.peerHeartbeatAge(), stats.sendRingOccupancy(),
                stats.receiveRingOccupancy(), stats.ringCapacity(), stats.slotsInUse(), stats.slotCount());
    }
}
