package io.rapace.spring.boot.host;

/** Where a supervised plugin is in its life. */
public enum PluginState {

    /** The supervisor has not been started. */
    NOT_STARTED,

    /** An incarnation is being launched and has not heartbeated yet. */
    STARTING,

    /** An incarnation runs: its process lives and it has opened the segment. */
    RUNNING,

    /** The last incarnation ended; the next one starts after the backoff delay. */
    BACKING_OFF,

    /** The supervisor gave up: the restart limit was reached, or the policy forbids a restart after a failure. */
    FAILED,

    /** The plugin exited and its policy does not restart it after this exit (e.g. code 0 with {@code on-failure}). */
    EXITED,

    /** The supervisor was stopped (the application shuts down); no process runs. */
    STOPPED;

    /** Whether no incarnation will come without an operator's restart. */
    public boolean isFinal() {
        return this == FAILED || this == EXITED || this == STOPPED;
    }
}
