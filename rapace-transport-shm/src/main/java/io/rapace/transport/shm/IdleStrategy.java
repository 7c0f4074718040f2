package io.rapace.transport.shm;

/**
 * How a thread waits while there is nothing to do (no frame to receive, no room to send).
 * Instances hold per-thread state and are used by one thread at a time.
 */
public interface IdleStrategy {

    /**
     * Called after each unit of polling.
     *
     * @param workCount how much work the last poll did; a positive count resets the backoff
     */
    void idle(int workCount);

    /** Restarts the backoff, e.g. when a new wait begins. */
    void reset();

    /**
     * Whether this strategy has left its busy phases (spinning, yielding), so that its next
     * {@code idle(0)} would put the thread to sleep. A receiver that its peer can wake (the wake
     * extension, {@code docs/wake-extension.md}) then sleeps until woken instead of calling
     * {@code idle(0)}. The default, {@code false}, means "never replace my waiting".
     */
    default boolean isParking() {
        return false;
    }
}
