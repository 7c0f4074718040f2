package io.rapace.core.session;

/**
 * Handles one incoming request. Runs on its own virtual thread, never on the receive loop, so it may
 * block. It must end the call ({@link ServerCall#respond}, {@link ServerCall#complete} or
 * {@link ServerCall#fail}) before it returns: a handler that returns without ending the call is answered
 * with {@code INTERNAL "handler did not answer"}. A {@link io.rapace.core.RapaceException} it throws is
 * answered with its code; any other throwable with {@code INTERNAL} and the throwable's message.
 */
@FunctionalInterface
public interface MethodHandler {

    /** Handles the call. */
    void handle(ServerCall call) throws Exception;
}
