package io.rapace.core.runtime;

import java.util.Map;

/**
 * How a process's exit code reads: a JDK reports a process ended by signal N as code 128 + N (as a shell
 * does), so 137 is SIGKILL and 143 is SIGTERM (a JVM that ran its shutdown hooks after SIGTERM exits 143 too).
 */
final class ExitStatus {

    private static final int SIGNAL_BASE = 128;

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"), Map.entry(5, "SIGTRAP"), Map.entry(6, "SIGABRT"),
            Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"), Map.entry(10, "SIGUSR1"),
            Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"),
            Map.entry(15, "SIGTERM"));

    private ExitStatus() {
    }

    /** "code 3", or "code 137 (SIGKILL)" for a code that stands for a signal (128 + its number). */
    static String describe(int exitCode) {
        String signal = SIGNALS.get(exitCode - SIGNAL_BASE);
        return signal == null ? "code " + exitCode : "code " + exitCode + " (" + signal + ")";
    }
}
