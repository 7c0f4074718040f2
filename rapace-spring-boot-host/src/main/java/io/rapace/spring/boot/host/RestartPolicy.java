package io.rapace.spring.boot.host;

/** When a plugin whose process ended is started again. */
public enum RestartPolicy {

    /** Never: the plugin stays down after its first exit. */
    NEVER,

    /** After a failure: an exit with a non-zero code, a kill, or a start that did not succeed. */
    ON_FAILURE,

    /** After every exit, also a clean one (code 0). */
    ALWAYS;

    /** Whether an incarnation that exited with {@code exitCode} is followed by another. */
    boolean restartsAfter(int exitCode) {
        return switch (this) {
            case NEVER -> false;
            case ON_FAILURE -> exitCode != 0;
            case ALWAYS -> true;
        };
    }
}
