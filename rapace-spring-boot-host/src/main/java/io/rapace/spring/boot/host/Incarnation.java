package io.rapace.spring.boot.host;

import java.time.Duration;

import io.rapace.core.runtime.RapaceHost;

/**
 * One run of a plugin: its own {@link RapaceHost} (segment, session, process).
 *
 * @param number 1 for the first incarnation, then one more per launch
 * @param host the running host
 * @param output its standard output and error, forwarded to its logger
 * @param startupTime from launch to the plugin's first heartbeat
 * @param startedNanos when it was ready, on {@link System#nanoTime()}
 */
record Incarnation(int number, RapaceHost host, PluginOutput output, Duration startupTime, long startedNanos) {

    Incarnation(int number, RapaceHost host, PluginOutput output, Duration startupTime) {
        this(number, host, output, startupTime, System.nanoTime());
    }

    /** Whether the process still lives (it may have died before the supervisor noticed). */
    boolean isAlive() {
        return this.host.process().isAlive();
    }

    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - this.startedNanos);
    }
}
