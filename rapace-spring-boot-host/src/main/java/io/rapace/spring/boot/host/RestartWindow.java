package io.rapace.spring.boot.host;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The restarts of one plugin within its sliding {@code restartWindow}: the supervisor gives up once a restart makes
 * them more than {@code maxRestarts}. Times are {@link System#nanoTime()} readings; thread-safe.
 */
final class RestartWindow {

    private final long windowNanos;

    /** Restart times within the window, oldest first; guarded by this object's monitor. */
    private final ArrayDeque<Long> recent = new ArrayDeque<>();

    RestartWindow(Duration window) {
        this.windowNanos = window.toNanos();
    }

    /** Records a restart at {@code now} and returns how many the window holds, this one included. */
    synchronized int record(long now) {
        while (!this.recent.isEmpty() && now - this.recent.peekFirst() > this.windowNanos) {
            this.recent.removeFirst();
        }
        this.recent.addLast(now);
        return this.recent.size();
    }

    /** Forgets every restart (an operator started a plugin that was given up). */
    synchronized void clear() {
        this.recent.clear();
    }
}
