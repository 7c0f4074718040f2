package io.rapace.transport.shm;

/**
 * The transport's one-time warm-ups in this JVM, run to their end for tests of other packages that count what every
 * thread allocates ({@code ThreadAllocation.othersBytesPerOperation}): started by the first idle sleep of any session
 * in the test JVM, the warm-up thread would otherwise allocate (about 1.3 MB, once) during whichever measurement it
 * happens to overlap.
 */
public final class TransportWarmUps {

    private TransportWarmUps() {
    }

    /** Starts the warm-ups unless they were started before, and waits until they ended. */
    public static void runToEnd() throws InterruptedException {
        FutexWarmUp.runToEnd();
    }
}
