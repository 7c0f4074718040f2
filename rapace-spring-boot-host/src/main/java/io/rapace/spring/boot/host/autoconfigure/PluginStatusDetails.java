package io.rapace.spring.boot.host.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.rapace.spring.boot.host.PluginFailure;
import io.rapace.spring.boot.host.PluginStatus;

/** A plugin's status as a flat map of plain values, for health details and the {@code rapacePlugins} endpoint. */
final class PluginStatusDetails {

    private PluginStatusDetails() {
    }

    static Map<String, Object> of(PluginStatus status) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", status.state().name());
        details.put("incarnation", status.incarnation());
        details.put("restarts", status.restarts());
        PluginStatus.Running running = status.running();
        if (running != null) {
            details.put("pid", running.pid());
            details.put("segment", running.segment().toString());
            details.put("uptime", millis(running.uptime()));
            details.put("startupTime", millis(running.startupTime()));
            details.put("peerState", String.valueOf(running.peerState()));
            details.put("heartbeatAge", running.heartbeatAge() == null ? "not started" : millis(running.heartbeatAge()));
            details.put("ringOccupancy", "send=" + running.sendOccupancy() + ", receive=" + running.receiveOccupancy()
                    + ", capacity=" + running.ringCapacity());
            details.put("slotsInUse", running.slotsInUse() + " of " + running.slotCount());
        }
        PluginFailure failure = status.lastFailure();
        if (failure != null) {
            details.put("lastExitCode", failure.exitCode() == null ? "none" : failure.exitCode());
            details.put("lastReason", failure.reason());
            details.put("lastFailureAt", failure.at().toString());
            if (!failure.lastLines().isEmpty()) {
                details.put("lastLines", failure.lastLines());
            }
        }
        return details;
    }

    private static String millis(Duration duration) {
        return duration.toNanos() / 100_000 / 10.0 + " ms";
    }
}
