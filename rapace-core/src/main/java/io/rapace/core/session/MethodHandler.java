package io.rapace.core.session;

/**
 * Handles one incoming request. Runs on its own virtual thread, so it may block, unless it says
 * {@linkplain #isNonBlocking() it never blocks}: then it runs on the session's receive thread. It must end the call ({@link ServerCall#respond}, {@link ServerCall#complete} or
 * {@link ServerCall#fail}) before it returns: a handler that returns without ending the call is answered
 * with {@code INTERNAL "handler did not answer"}. A {@link io.rapace.core.RapaceException} it throws is
 * answered with its code; any other throwable with {@code INTERNAL} and the throwable's message.
 */
@FunctionalInterface
public interface MethodHandler {

    /** Handles the call. */
    void handle(ServerCall call) throws Exception;

    /**
     * Whether this handler returns quickly and never blocks, so that the session may run it on the thread
     * that received the request (no hand-off, see {@link io.rapace.core.service.NonBlocking}). Such a
     * handler answers before it returns; its answer is sent at once when the ring has room, and otherwise
     * by another thread, so the receive thread never waits for the peer. False by default.
     */
    default boolean isNonBlocking() {
        return false;
    }

    /**
     * Whether this handler may use its {@link ServerCall}, or the array {@link ServerCall#requestPayload()} gave it,
     * after {@link #handle} returned (keeps them, hands them to another thread). True by default. A
     * {@linkplain #isNonBlocking() non-blocking} handler that says false lets the session reuse both for the next
     * request it serves on its receive thread, so that serving one allocates neither; the handlers of typed
     * services' methods that return a plain value say false.
     */
    default boolean keepsCallAfterReturn() {
        return true;
    }
}
