package io.rapace.core.service;

/**
 * A service interface for a loader that sees only it and the JDK ({@link IsolatingLoader}): top-level, so
 * that naming it needs no enclosing class.
 */
public interface IsolatedService {

    /** Three times {@code value}. */
    int triple(int value);
}
