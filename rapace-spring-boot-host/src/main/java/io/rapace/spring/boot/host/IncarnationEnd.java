package io.rapace.spring.boot.host;

import org.jspecify.annotations.Nullable;

/**
 * How an incarnation's process ended.
 *
 * @param exitCode its exit code
 * @param killedBecause why the supervisor killed it (it stalled beyond the stall timeout), or null when it exited
 *     by itself or was stopped
 */
record IncarnationEnd(int exitCode, @Nullable String killedBecause) {

    /** "3", or "137 (SIGKILL)" for the codes a JDK reports for the signals that end plugins (128 + the number). */
    String exitCodeText() {
        return this.exitCode + switch (this.exitCode) {
            case 130 -> " (SIGINT)";
            case 134 -> " (SIGABRT)";
            case 137 -> " (SIGKILL)";
            case 139 -> " (SIGSEGV)";
            case 143 -> " (SIGTERM)";
            default -> "";
        };
    }
}
