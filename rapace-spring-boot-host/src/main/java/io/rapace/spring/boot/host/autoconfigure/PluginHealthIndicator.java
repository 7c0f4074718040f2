package io.rapace.spring.boot.host.autoconfigure;

import io.rapace.spring.boot.host.PluginStatus;
import io.rapace.spring.boot.host.PluginSupervisor;
import io.rapace.transport.shm.PeerState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one supervised plugin: {@code UP} while an incarnation runs and its heartbeat moves,
 * {@code OUT_OF_SERVICE} while it stalls, starts or restarts, {@code DOWN} once the supervisor gave up (the reason
 * in {@code lastReason}) or the plugin exited or was stopped, {@code UNKNOWN} before the first start.
 */
final class PluginHealthIndicator implements HealthIndicator {

    private final PluginSupervisor supervisor;

    PluginHealthIndicator(PluginSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public Health health() {
        PluginStatus status = this.supervisor.status();
        return Health.status(status(status)).withDetails(PluginStatusDetails.of(status)).build();
    }

    private static Status status(PluginStatus status) {
        return switch (status.state()) {
            case NOT_STARTED -> Status.UNKNOWN;
            case RUNNING -> status.running() != null && status.running().peerState() == PeerState.STALLED
                    ? Status.OUT_OF_SERVICE : Status.UP;
            case STARTING, BACKING_OFF -> Status.OUT_OF_SERVICE;
            case FAILED, EXITED, STOPPED -> Status.DOWN;
        };
    }
}
