package io.rapace.spring.boot.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.rapace.transport.shm.ShmConfig;
import org.jspecify.annotations.Nullable;

/**
 * Everything a {@link PluginSupervisor} needs to run one plugin.
 *
 * @param name the plugin's name (the key under {@code rapace.plugins}); names its logger, health component and
 *     meters
 * @param launch how the process starts (a command, a jar, a main class or a container image); the segment path is
 *     appended (after {@code pathArgumentPrefix})
 * @param pathArgumentPrefix what goes before the segment path in the last argument ({@code ""}, {@code "--shm-path="})
 * @param environment variables added to the inherited environment
 * @param workingDirectory the process's working directory, or null for the host's
 * @param ownProcessGroup whether the process runs in a process group (and session) of its own, so that a Ctrl-C in
 *     the application's terminal reaches the application only, which then stops the plugin after its drain
 * @param geometry the segment geometry of every incarnation
 * @param restart when an ended incarnation is followed by another
 * @param backoff the delay before a restart
 * @param maxRestarts how many restarts {@code restartWindow} may hold before the supervisor gives up
 * @param restartWindow the sliding window that {@code maxRestarts} counts in
 * @param startTimeout how long a new process has to open the segment (first heartbeat)
 * @param stopTimeout how long a stop waits after SIGTERM before SIGKILL
 * @param callTimeout the deadline of a client call, and how long a call waits for a restarting plugin
 * @param callsDuringRestart whether calls wait for the next incarnation or fail at once
 * @param livenessTimeout how long the plugin's heartbeat may stand still before it counts as stalled
 * @param stallTimeout how long the plugin may stay stalled (its heartbeat standing still, its process alive) before
 *     the supervisor kills it (SIGKILL) and treats it as a failure; at least {@code livenessTimeout}
 */
public record PluginDefinition(String name, PluginLaunch launch, String pathArgumentPrefix,
        Map<String, String> environment, @Nullable Path workingDirectory, boolean ownProcessGroup, ShmConfig geometry,
        RestartPolicy restart, Backoff backoff, int maxRestarts, Duration restartWindow, Duration startTimeout,
        Duration stopTimeout, Duration callTimeout, CallsDuringRestart callsDuringRestart, Duration livenessTimeout,
        Duration stallTimeout) {

    /** Validates every value, naming the plugin and the property in the message. */
    public PluginDefinition {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a plugin name must not be blank");
        }
        Objects.requireNonNull(launch, "launch");
        Objects.requireNonNull(pathArgumentPrefix, "pathArgumentPrefix");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(geometry, "geometry");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(backoff, "backoff");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("rapace.plugins." + name + ".max-restarts must not be negative, was "
                    + maxRestarts);
        }
        positive(name, "restart-window", restartWindow);
        positive(name, "start-timeout", startTimeout);
        notNegative(name, "stop-timeout", stopTimeout);
        positive(name, "call-timeout", callTimeout);
        positive(name, "liveness-timeout", livenessTimeout);
        positive(name, "stall-timeout", stallTimeout);
        if (stallTimeout.compareTo(livenessTimeout) < 0) {
            throw new IllegalArgumentException("rapace.plugins." + name + ".stall-timeout (" + stallTimeout
                    + ") must not be below rapace.plugins." + name + ".liveness-timeout (" + livenessTimeout
                    + "): a plugin is stalled only once its heartbeat stood still for the liveness timeout");
        }
        Objects.requireNonNull(callsDuringRestart, "callsDuringRestart");
    }

    private static void positive(String plugin, String property, Duration value) {
        Objects.requireNonNull(value, property);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("rapace.plugins." + plugin + "." + property + " must be positive, was "
                    + value);
        }
    }

    private static void notNegative(String plugin, String property, Duration value) {
        Objects.requireNonNull(value, property);
        if (value.isNegative()) {
            throw new IllegalArgumentException("rapace.plugins." + plugin + "." + property
                    + " must not be negative, was " + value);
        }
    }
}
