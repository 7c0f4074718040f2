package io.rapace.spring.boot.host;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;

/**
 * Waits on the supervision thread for an incarnation's process to end, looking at its heartbeat meanwhile: a
 * plugin whose heartbeat has stood still for longer than the stall timeout while its process lives (stopped by
 * SIGSTOP, a GC that does not end, a deadlocked heartbeat) is killed as a failure, the reason kept.
 */
final class IncarnationEndWatch {

    /** How often a running incarnation's heartbeat is looked at, at most (a tenth of the stall timeout if shorter). */
    private static final long HEARTBEAT_LOOK_MILLIS = 250;

    private final PluginDefinition definition;

    private final Log pluginLog;

    /** Whether the supervisor is stopping: a stall then is the stop's business, not a failure. */
    private final BooleanSupplier stopping;

    /** Closes the supervisor's gate before a stalled incarnation is killed, so that calls wait for the next one. */
    private final Runnable closeGate;

    IncarnationEndWatch(PluginDefinition definition, Log pluginLog, BooleanSupplier stopping, Runnable closeGate) {
        this.definition = definition;
        this.pluginLog = pluginLog;
        this.stopping = stopping;
        this.closeGate = closeGate;
    }

    /** Returns once the incarnation's process has ended, by itself or killed here because it stalled. */
    IncarnationEnd awaitEnd(Incarnation incarnation) {
        Process process = incarnation.host().process();
        Duration stallTimeout = this.definition.stallTimeout();
        long look = Math.max(10, Math.min(HEARTBEAT_LOOK_MILLIS, stallTimeout.toMillis() / 10));
        while (true) {
            try {
                if (process.waitFor(look, TimeUnit.MILLISECONDS)) {
                    return new IncarnationEnd(process.exitValue(), null);
                }
            }
            catch (InterruptedException ex) {
                // stop() closes the host, which ends the process: keep waiting for it
                continue;
            }
            Duration still = incarnation.heartbeatAge();
            if (still != null && still.compareTo(stallTimeout) > 0 && !this.stopping.getAsBoolean()) {
                return killStalled(incarnation, still);
            }
        }
    }

    /**
     * The plugin stalled beyond the stall timeout: calls wait for the next incarnation, the pending ones fail with
     * {@code PEER_DIED} naming the stall, and the process is killed (SIGKILL works on a stopped process too).
     */
    private IncarnationEnd killStalled(Incarnation incarnation, Duration still) {
        Process process = incarnation.host().process();
        String reason = "incarnation " + incarnation.number() + " (pid " + process.pid() + ") stalled for "
                + Durations.human(this.definition.stallTimeout()) + ": its heartbeat stood still for "
                + still.toMillis() + " ms, beyond stall-timeout=" + this.definition.stallTimeout()
                + ", so it was killed (SIGKILL)";
        this.closeGate.run();
        this.pluginLog.warn(reason);
        incarnation.host().session().peerGone("plugin process " + process.pid() + " stalled for "
                + Durations.human(this.definition.stallTimeout()) + " and was killed");
        process.destroyForcibly();
        while (true) {
            try {
                return new IncarnationEnd(process.waitFor(), reason);
            }
            catch (InterruptedException ex) {
                // keep waiting: SIGKILL is on its way
            }
        }
    }
}
