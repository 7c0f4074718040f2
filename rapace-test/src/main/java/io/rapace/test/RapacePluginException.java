package io.rapace.test;

import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

/**
 * A plugin under test misbehaved: it died during start-up, did not open its segment in time, did not exit
 * cleanly at the end, or left a process or a segment file behind. The message names the process, its exit code
 * and the last lines of its log.
 */
public final class RapacePluginException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final @Nullable Integer exitCode;

    RapacePluginException(String message, @Nullable Integer exitCode, @Nullable Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** The plugin process's exit code, when it had exited (143 after SIGTERM, 137 after SIGKILL). */
    public OptionalInt exitCode() {
        return this.exitCode == null ? OptionalInt.empty() : OptionalInt.of(this.exitCode);
    }
}
