package io.rapace.core.runtime;

/** A sleep that a process's exit ends at once ({@link PidfdExitWait}); one per watched process, used by one thread. */
interface ExitSignal extends AutoCloseable {

    /** Sleeps until the process exits or {@code timeoutMillis} passed; whether it has exited. */
    boolean awaitExit(int timeoutMillis);

    /** Releases what the wait holds (a descriptor). */
    @Override
    void close();
}
