package io.rapace.spring.boot.host;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.ClientOptions;
import org.jspecify.annotations.Nullable;

/**
 * One run of a plugin: its own {@link RapaceHost} (segment, session, process), clients created on first use.
 *
 * @param number 1 for the first incarnation, then one more per launch
 * @param host the running host
 * @param output its standard output and error, forwarded to its logger
 * @param cleanUp removes what its launch made (a container, a segment directory), once its host is closed
 * @param startupTime from launch to the plugin's first heartbeat
 * @param startedNanos when it was ready, on {@link System#nanoTime()}
 * @param clients its clients, by service interface
 */
record Incarnation(int number, RapaceHost host, PluginOutput output, Runnable cleanUp, Duration startupTime,
        long startedNanos, Map<Class<?>, Object> clients) {

    Incarnation(int number, RapaceHost host, PluginOutput output, Runnable cleanUp, Duration startupTime) {
        this(number, host, output, cleanUp, startupTime, System.nanoTime(), new ConcurrentHashMap<>());
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

    /** The client of this incarnation's session for {@code serviceInterface}, created once. */
    <T> T client(Class<T> serviceInterface, Duration callTimeout) {
        return serviceInterface.cast(this.clients.computeIfAbsent(serviceInterface,
                (type) -> this.host.client(type, ClientOptions.defaults().withTimeout(callTimeout))));
    }
}
