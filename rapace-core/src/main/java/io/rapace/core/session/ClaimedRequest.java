package io.rapace.core.session;

import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * The next request a handler thread takes while it reads the ring after answering ({@link HandlerLinger}): one per
 * handler thread, used only by that thread (it is the reader while the request is routed to it), so plain fields.
 * Holds whether the thread takes a request now, and the request it took.
 */
final class ClaimedRequest implements BooleanSupplier {

    /** Whether the thread reads for its next request and has taken none yet. */
    private boolean open;

    private @Nullable InboundCall call;

    /** The call's handler; null for a held request, whose handler is looked up when it runs. */
    private @Nullable MethodHandler handler;

    /** The thread starts reading for its next request. */
    void open() {
        this.open = true;
    }

    /** Takes {@code call} if the thread reads for its next request and has none yet; false otherwise. */
    boolean take(InboundCall request, @Nullable MethodHandler requestHandler) {
        if (!this.open) {
            return false;
        }
        this.open = false;
        this.call = request;
        this.handler = requestHandler;
        return true;
    }

    /** The thread stops reading; the call it took, if any, is then {@link #call()}. */
    void close() {
        this.open = false;
    }

    /** Whether a request was taken (the reading thread's condition to stop reading). */
    @Override
    public boolean getAsBoolean() {
        return this.call != null;
    }

    @Nullable InboundCall call() {
        return this.call;
    }

    @Nullable MethodHandler handler() {
        return this.handler;
    }

    /** Forgets the taken request, once its run began. */
    void clear() {
        this.call = null;
        this.handler = null;
    }
}
