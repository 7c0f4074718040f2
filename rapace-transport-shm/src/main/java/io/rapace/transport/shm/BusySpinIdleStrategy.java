package io.rapace.transport.shm;

/**
 * Never gives the CPU away: the lowest latency, at the cost of one fully busy core per waiting thread.
 * For benchmarks and dedicated cores only.
 */
public final class BusySpinIdleStrategy implements IdleStrategy {

    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            Thread.onSpinWait();
        }
    }

    @Override
    public void reset() {
        // no state
    }
}
