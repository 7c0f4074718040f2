package io.rapace.spring.boot;

import org.jspecify.annotations.Nullable;

/**
 * How the host went away: it closed the session, or it died (its heartbeat stopped).
 *
 * @param died whether the host died rather than closed the session
 * @param cause what ended the session when the host died, else null
 */
public record RapaceHostExit(boolean died, @Nullable Throwable cause) {

    /** Exit code of a plugin whose host closed the session normally. */
    public static final int CLOSED_EXIT_CODE = 0;

    /** Exit code of a plugin whose host died. */
    public static final int DIED_EXIT_CODE = 1;

    /** The host closed the session. */
    public static RapaceHostExit closed() {
        return new RapaceHostExit(false, null);
    }

    /** The host died, as {@code cause} reports. */
    public static RapaceHostExit died(Throwable cause) {
        return new RapaceHostExit(true, cause);
    }

    /** The process exit code that fits: {@value #CLOSED_EXIT_CODE} when closed, {@value #DIED_EXIT_CODE} when died. */
    public int exitCode() {
        return this.died ? DIED_EXIT_CODE : CLOSED_EXIT_CODE;
    }

    /** A one-line description for logs. */
    public String describe() {
        if (!this.died) {
            return "the host closed the session";
        }
        return "the host died" + ((this.cause != null) ? " (" + this.cause.getMessage() + ")" : "");
    }
}
