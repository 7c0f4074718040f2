package io.rapace.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A process's scheduling state as Linux shows it: the state letter of {@code /proc/PID/stat}. */
final class ProcessStates {

    /** The state when it cannot be read: not Linux, no such process, no access. */
    static final char UNKNOWN = '?';

    private ProcessStates() {
    }

    /** The state letter of process {@code pid} ({@code R}, {@code S}, {@code T}, {@code Z}…), or {@link #UNKNOWN}. */
    static char of(long pid) {
        try {
            // As bytes (ISO-8859-1 gives each its own char): the name is whatever the process calls itself, not
            // necessarily valid UTF-8, and must not hide the state.
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            // The name, in parentheses, may itself hold spaces and parentheses: the state follows the last ')'.
            int afterName = stat.lastIndexOf(')');
            return afterName >= 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : UNKNOWN;
        }
        catch (IOException | SecurityException ex) {
            return UNKNOWN;
        }
    }

    /** Whether the state is that of a process stopped by a signal or a debugger ({@code T}, {@code t}). */
    static boolean isStopped(char state) {
        return state == 'T' || state == 't';
    }

    /** Whether the state is that of a process that has exited: a zombie not yet reaped, or dead. */
    static boolean hasExited(char state) {
        return state == 'Z' || state == 'X' || state == 'x';
    }
}
