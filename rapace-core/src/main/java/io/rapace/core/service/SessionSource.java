package io.rapace.core.service;

import java.util.Objects;
import java.util.function.Supplier;

import io.rapace.core.RapaceException;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;

/**
 * Where the calls of a client go: the session each call is sent over. Every client is made the same way
 * {@link java.lang.reflect.InvocationHandler}; only its source differs
 * ({@link RapaceClients#create(Class, SessionSource, ClientOptions)}):
 *
 * <ul>
 * <li>{@link #of(RpcSession)}: one session for every call, the client of
 * {@link RapaceClients#create(Class, RpcSession)}; a call costs nothing over the session's own call;</li>
 * <li>{@link #perCall(Supplier)}: the session running at the time of each call, for a client made before its
 * session runs (and surviving its restarts);</li>
 * <li>{@link #guarded(RpcSession, Supplier)}: one session, but a call fails at once with the problem a guard
 * reports (a host's plugin process has exited);</li>
 * <li>{@link Awaited}: sessions that come and go (the incarnations of a supervised plugin): a call waits for one
 * until its deadline, the wait counted against its timeout, and a call that a dead session refused before
 * sending it goes to the next one.</li>
 * </ul>
 *
 * <p>A session that cannot be had for a call (the supplier or the guard throws, no incarnation comes) fails that
 * call in the style of its return type: a thrown exception for a plain value, a failed future, an error signal
 * of a {@code Mono} or {@code Flux} (asked when it is subscribed).
 */
public sealed interface SessionSource permits DirectSource, SessionSource.Awaited {

    /** Every call goes to {@code session}. */
    static SessionSource of(RpcSession session) {
        return new FixedSession(Objects.requireNonNull(session, "session"));
    }

    /**
     * Each call goes to the session {@code sessions} supplies when the call is made (a {@code Mono} or
     * {@code Flux}: when it is subscribed). The supplier may throw to refuse the call, say
     * {@link IllegalStateException} while no session runs.
     */
    static SessionSource perCall(Supplier<RpcSession> sessions) {
        return new SessionPerCall(Objects.requireNonNull(sessions, "sessions"));
    }

    /**
     * Each call goes to {@code session} unless {@code guard} reports a problem when the call is made: then the call
     * fails with that problem, without reaching the session.
     */
    static SessionSource guarded(RpcSession session, Supplier<@Nullable RapaceException> guard) {
        return new GuardedSession(Objects.requireNonNull(session, "session"), Objects.requireNonNull(guard, "guard"));
    }

    /**
     * Sessions that come and go, such as the incarnations of a supervised plugin, each call going to the one that
     * runs when it is made. While none runs, a call waits for the next one until its deadline (the client's
     * {@linkplain ClientOptions#timeout() timeout} from the call's start); the wait counts against that timeout,
     * so the call then runs with what is left of it. A blocking call waits on its own thread; a future, a
     * {@code Mono} or a {@code Flux} waits on a virtual thread, and only when no session runs.
     *
     * <p>A call that met a session whose peer had died ({@code SessionState.PEER_DIED}) and was refused with
     * {@code SESSION_CLOSED} never reached the peer: it goes to the next session, within the same deadline. A call
     * already sent when the peer died fails with {@code PEER_DIED} and is never sent again, since the peer may have
     * acted on it. Its {@code toString()} names the sessions in the client's {@code toString()}.
     */
    non-sealed interface Awaited extends SessionSource {

        /** The session running now, or {@code null} when a call would have to wait for one. Never blocks. */
        @Nullable RpcSession runningNow();

        /**
         * The session running now, else the next one, waiting for it until {@code deadlineNanos} (on
         * {@link System#nanoTime()}).
         *
         * @throws RapaceException {@code DEADLINE_EXCEEDED} when none came in time; {@code UNAVAILABLE} when none
         *     will come or calls must not wait; {@code CANCELLED} when the thread was interrupted
         */
        RpcSession await(long deadlineNanos);

        /**
         * Told when the client itself fails a call that no session answered: its timeout passed between getting a
         * session and sending ({@code DEADLINE_EXCEEDED}), or the session that had refused it was the only one
         * ({@code SESSION_CLOSED}). Calls a session answered are reported by that session's observer, refusals of
         * {@link #await} by the source itself. Does nothing by default.
         */
        default void refused(RapaceException failure) {
        }
    }
}
