package io.rapace.spring.boot.host;

/** What a client call does while its plugin has no running incarnation (starting, restarting). */
public enum CallsDuringRestart {

    /** Wait for the next incarnation, up to the call timeout; then fail with {@code DEADLINE_EXCEEDED}. */
    WAIT,

    /** Fail at once with {@code UNAVAILABLE} naming the plugin's state and its last failure. */
    FAIL_FAST
}
