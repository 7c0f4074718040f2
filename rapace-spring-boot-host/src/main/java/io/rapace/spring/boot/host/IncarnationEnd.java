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

    /**
     * Whether the process, not killed by the supervisor, died of a signal that is sent to many processes at once: a
     * terminal sends SIGINT (Ctrl-C), SIGQUIT (Ctrl-\) and SIGHUP to its whole foreground process group, a service
     * manager SIGTERM to every process of the service (systemd's default {@code KillMode=control-group}); so the
     * plugin's end may be the application's own shutdown, reaching the plugin first.
     */
    boolean bySharedSignal() {
        return this.killedBecause == null
                && (this.exitCode == 129 || this.exitCode == 130 || this.exitCode == 131 || this.exitCode == 143);
    }

    /** "3", or "137 (SIGKILL)" for the codes a JDK reports for the signals that end plugins (128 + the number). */
    String exitCodeText() {
        return this.exitCode + switch (this.exitCode) {
            case 129 -> " (SIGHUP)";
            case 130 -> " (SIGINT)";
            case 131 -> " (SIGQUIT)";
            case 134 -> " (SIGABRT)";
            case 137 -> " (SIGKILL)";
            case 139 -> " (SIGSEGV)";
            case 143 -> " (SIGTERM)";
            default -> "";
        };
    }
}
