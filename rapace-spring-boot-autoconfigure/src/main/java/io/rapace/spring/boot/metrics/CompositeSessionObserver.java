package io.rapace.spring.boot.metrics;

import io.rapace.core.ErrorCode;
import io.rapace.core.session.SessionObserver;

/** Tells two observers, first then second. */
record CompositeSessionObserver(SessionObserver first, SessionObserver second) implements SessionObserver {

    /** {@code added} alone when {@code existing} is {@link SessionObserver#NONE}, else both. */
    static SessionObserver combine(SessionObserver existing, SessionObserver added) {
        return (existing == SessionObserver.NONE) ? added : new CompositeSessionObserver(existing, added);
    }

    @Override
    public void onServerCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
        this.first.onServerCallCompleted(methodId, outcome, durationNanos);
        this.second.onServerCallCompleted(methodId, outcome, durationNanos);
    }

    @Override
    public void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
        this.first.onClientCallCompleted(methodId, outcome, durationNanos);
        this.second.onClientCallCompleted(methodId, outcome, durationNanos);
    }

    @Override
    public void onResponseSendFailed(int methodId, Throwable cause) {
        this.first.onResponseSendFailed(methodId, cause);
        this.second.onResponseSendFailed(methodId, cause);
    }
}
