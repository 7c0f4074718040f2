package io.rapace.spring.boot.host;

import java.nio.file.Path;
import java.time.Duration;

import io.rapace.transport.shm.PeerState;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one supervised plugin, for health, meters and the {@code rapacePlugins} endpoint.
 *
 * @param name the plugin's name
 * @param state where it is in its life
 * @param incarnation the number of the current (or last) incarnation, 0 before the first launch
 * @param restarts restarts so far (operator restarts not counted)
 * @param lastFailure why the last incarnation ended or failed to start, or null
 * @param running the running incarnation's figures, or null when none runs
 */
public record PluginStatus(String name, PluginState state, int incarnation, long restarts,
        @Nullable PluginFailure lastFailure, @Nullable Running running) {

    /**
     * Figures of a running incarnation.
     *
     * @param pid the process id
     * @param segment the segment file
     * @param uptime since it was ready
     * @param startupTime from launch to its first heartbeat
     * @param peerState whether its heartbeat moves ({@code ALIVE}), stands still ({@code STALLED}) or it is gone
     * @param heartbeatAge how long its heartbeat has not moved, or null before the first
     * @param sendOccupancy descriptors waiting in the ring the host writes
     * @param receiveOccupancy descriptors waiting in the ring the host reads
     * @param ringCapacity descriptors per ring
     * @param slotsInUse data slots allocated
     * @param slotCount data slots in the segment
     */
    public record Running(long pid, Path segment, Duration uptime, Duration startupTime, @Nullable PeerState peerState,
            @Nullable Duration heartbeatAge, int sendOccupancy, int receiveOccupancy, int ringCapacity,
            int slotsInUse, int slotCount) {
    }
}
