package io.rapace.core.session;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Finds the handler of an incoming request's method id. Called on the session's receive loop for every
 * request, so it must be fast and must never block (a map lookup).
 */
@FunctionalInterface
public interface Dispatcher {

    /** The handler of {@code methodId}, or {@code null} when no service knows it (answered Unimplemented). */
    @Nullable MethodHandler lookup(int methodId);

    /** A dispatcher that knows no method: every request is answered Unimplemented. */
    static Dispatcher none() {
        return methodId -> null;
    }

    /**
     * Tries each dispatcher in order; the first non-null handler wins (spec §4, several services).
     * The list is copied.
     */
    static Dispatcher chain(List<Dispatcher> inOrder) {
        // An array, not the list: a list's iterator per request was an allocation on the receive thread.
        Dispatcher[] copy = List.copyOf(inOrder).toArray(Dispatcher[]::new);
        return methodId -> {
            for (Dispatcher dispatcher : copy) {
                MethodHandler handler = dispatcher.lookup(methodId);
                if (handler != null) {
                    return handler;
                }
            }
            return null;
        };
    }
}
