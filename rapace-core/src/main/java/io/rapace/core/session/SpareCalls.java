package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * A session's handler calls given back for reuse: a handler thread that ended its call itself, with a handler that
 * keeps nothing of it, gives the call back ({@link InboundCall#endedByCurrentThread()}); the thread reading the ring
 * takes one for its next request instead of making a new call object. A stack linked through the calls themselves
 * ({@link InboundCall#nextSpare}), so that giving back and taking allocate nothing. Any number of threads give back;
 * one thread at a time takes (the one holding the session's reading role), so a take's compare-and-set never meets
 * the same top twice with another below it (no ABA). It holds at most as many calls as ran at once.
 */
final class SpareCalls {

    private final AtomicReference<@Nullable InboundCall> top = new AtomicReference<>();

    /** Gives {@code call} back; it must not be used by the giving thread any more. Any thread. */
    void giveBack(InboundCall call) {
        InboundCall below;
        do {
            below = this.top.get();
            call.nextSpare = below;
            // CAS (volatile): publishes the call's last state, read by the thread that takes it.
        } while (!this.top.compareAndSet(below, call));
    }

    /** A spare call, or null; by the thread holding the reading role only. */
    @Nullable InboundCall take() {
        while (true) {
            // volatile read: pairs with giveBack's CAS, so the call's state is seen as it was given back.
            InboundCall spare = this.top.get();
            if (spare == null) {
                return null;
            }
            if (this.top.compareAndSet(spare, spare.nextSpare)) {
                return spare;
            }
        }
    }
}
