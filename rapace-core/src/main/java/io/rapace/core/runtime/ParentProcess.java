package io.rapace.core.runtime;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A process as Linux's {@code /proc/PID/stat} shows it: its PID and its start time in clock ticks after boot, which
 * tell it from a later process given the same PID. Read without {@link ProcessHandle}, whose first use in a JVM
 * sets up the JDK's process reaper (about 7 ms of a cold JVM, on a plain-Java plugin's way to its first answer:
 * docs/startup.md), so that a plugin can note its parent before it opens the segment and watch it later.
 *
 * @param pid the process id
 * @param startTicks field 22 of {@code /proc/PID/stat}: when the process started, in clock ticks after boot
 */
record ParentProcess(long pid, long startTicks) {

    /** Index of the parent's PID among the fields after the name (field 4 of the file: the state is field 3). */
    private static final int PPID = 1;

    /** Index of the start time among the fields after the name (field 22 of the file). */
    private static final int START_TIME = 19;

    /** The parent of this process, or empty where {@code /proc} cannot tell (not Linux, no access, no parent). */
    static Optional<ParentProcess> ofThisProcess() {
        String[] self = fields("self");
        return self == null ? Optional.empty() : of(number(self[PPID]));
    }

    /** Process {@code pid} as it runs now, or empty when {@code /proc} does not show it. */
    static Optional<ParentProcess> of(long pid) {
        String[] fields = pid > 0 ? fields(Long.toString(pid)) : null;
        long started = fields == null ? -1 : number(fields[START_TIME]);
        return started < 0 ? Optional.empty() : Optional.of(new ParentProcess(pid, started));
    }

    /**
     * This process's handle while it runs: the same PID with the same start time, not a zombie. Empty once it has
     * exited (its PID gone, or given to another process).
     */
    Optional<ProcessHandle> handleWhileRunning() {
        String[] now = fields(Long.toString(this.pid));
        if (now == null || number(now[START_TIME]) != this.startTicks
                || ProcessStates.hasExited(ProcessStates.stateOf(now))) {
            return Optional.empty();
        }
        return ProcessHandle.of(this.pid);
    }

    /**
     * The fields of {@code /proc/NAME/stat} after the process's name ({@link ProcessStates#statFields}), or null when
     * it cannot be read or has fewer fields than the start time's.
     */
    static String @Nullable [] fields(String name) {
        String[] fields = ProcessStates.statFields(name);
        return fields != null && fields.length > START_TIME ? fields : null;
    }

    /** A non-negative decimal field, or -1 when it is not one. */
    private static long number(String field) {
        try {
            return Long.parseLong(field);
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }
}
