package io.rapace.spring.boot.host;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.rapace.core.ErrorCode;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionObserver;
import io.rapace.core.session.SessionState;
import org.jspecify.annotations.Nullable;

/**
 * Counts the calls made through a plugin's supervised clients, each once, with its outcome ({@code OK} or the error
 * code it failed with), and tells the listeners (the meter {@code rapace.plugin.calls}). A call ends in one of two
 * places: in an incarnation's session, which reports it through {@link #observer()}; or in the supervisor, which
 * refused it because no incarnation ran ({@code UNAVAILABLE}, {@code DEADLINE_EXCEEDED}, {@code CANCELLED}) and
 * reports it through {@link #ended}. A call refused with {@code SESSION_CLOSED} by a session whose plugin died is not
 * counted there: it never reached the plugin, and the client sends it to the next incarnation, where it ends.
 */
final class PluginCalls {

    private final List<Consumer<ErrorCode>> listeners = new CopyOnWriteArrayList<>();

    /** Adds a listener, called on the thread that ended the call; it must be fast and must not throw. */
    void addListener(Consumer<ErrorCode> listener) {
        this.listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A call through a supervised client ended with {@code outcome}. */
    void ended(ErrorCode outcome) {
        for (Consumer<ErrorCode> listener : this.listeners) {
            listener.accept(outcome);
        }
    }

    /** The observer of one incarnation's session; {@link SessionCalls#attach} it to that session once started. */
    SessionCalls observer() {
        return new SessionCalls();
    }

    /** Hears of the calls of one incarnation's session. */
    final class SessionCalls implements SessionObserver {

        private volatile @Nullable RpcSession session;

        private SessionCalls() {
        }

        /** The session this observer hears from (it exists only once the host has started). */
        void attach(RpcSession started) {
            this.session = started;
        }

        @Override
        public void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
            RpcSession observed = this.session;
            if (outcome == ErrorCode.SESSION_CLOSED && observed != null
                    && observed.state() == SessionState.PEER_DIED) {
                return;
            }
            ended(outcome);
        }
    }
}
