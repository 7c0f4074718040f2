package io.rapace.spring.boot.host;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Why a plugin's incarnation ended or never started.
 *
 * @param incarnation the incarnation's number (1 for the first)
 * @param exitCode the process's exit code, or null when it had none (it could not be launched)
 * @param reason what happened, for people (e.g. "incarnation 2 (pid 4242) exited with code 137 after PT12S")
 * @param lastLines the last lines the process wrote (standard output and error, in order)
 * @param at when the supervisor saw it
 */
public record PluginFailure(int incarnation, @Nullable Integer exitCode, String reason, List<String> lastLines,
        Instant at) {

    /** Copies the lines. */
    public PluginFailure {
        lastLines = List.copyOf(lastLines);
    }
}
