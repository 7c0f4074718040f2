package io.rapace.core.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/** A process's scheduling state as Linux shows it: the state letter of {@code /proc/PID/stat}. */
final class ProcessStates {

    /** The state when it cannot be read: not Linux, no such process, no access. */
    static final char UNKNOWN = '?';

    private ProcessStates() {
    }

    /** The state letter of process {@code pid} ({@code R}, {@code S}, {@code T}, {@code Z}…), or {@link #UNKNOWN}. */
    static char of(long pid) {
        return stateOf(statFields(Long.toString(pid)));
    }

    /** The state letter among {@code fields} of {@link #statFields}, or {@link #UNKNOWN} without them. */
    static char stateOf(String @Nullable [] fields) {
        return fields == null || fields[0].isEmpty() ? UNKNOWN : fields[0].charAt(0);
    }

    /**
     * The fields of {@code /proc/NAME/stat} after the process's name (the state first), or null when it cannot be
     * read. As bytes (ISO-8859-1 gives each its own char): the name, in parentheses, is whatever the process calls
     * itself, not necessarily valid UTF-8, and may hold spaces and parentheses: the fields follow the last ')'.
     */
    static String @Nullable [] statFields(String name) {
        try {
            String stat = Files.readString(Path.of("/proc", name, "stat"), StandardCharsets.ISO_8859_1);
            int afterName = stat.lastIndexOf(')');
            return afterName >= 0 && afterName + 2 < stat.length() ? stat.substring(afterName + 2).strip().split(" ")
                    : null;
        }
        catch (IOException | SecurityException | InvalidPathException ex) {
            return null;
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
