package io.rapace.core.runtime;

/** A service whose one call takes as long as asked: the in-flight call of the shutdown tests. */
public interface Sleeper {

    /** Sleeps {@code millis}, then answers "slept N". */
    String sleep(long millis);
}
