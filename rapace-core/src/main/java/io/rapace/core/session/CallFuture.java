package io.rapace.core.session;

import org.jspecify.annotations.Nullable;

/**
 * The future of a unary call: cancelling it before the answer also cancels the call, which tells the
 * peer like a cancelled stream does. A thread that waits on it, or on a stage made from it, reads for the answer
 * first ({@link LeadingFuture}).
 */
final class CallFuture extends LeadingFuture<byte[]> {

    /**
     * Set once, before the future is handed to the caller: that hand-off (and any later one between
     * the caller's threads) publishes it to whoever cancels, so a plain field suffices.
     */
    private @Nullable Runnable cancelAction;

    CallFuture() {
        super(null);
    }

    void onCancel(Runnable action) {
        this.cancelAction = action;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Runnable action = this.cancelAction;
        if (cancelled && action != null) {
            action.run();
        }
        return cancelled;
    }
}
