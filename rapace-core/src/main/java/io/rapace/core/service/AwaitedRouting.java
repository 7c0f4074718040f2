package io.rapace.core.service;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionState;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Calls to {@linkplain SessionSource.Awaited sessions that come and go}. Each call has a deadline, its timeout from
 * its start (a {@code Mono} or {@code Flux}: from its subscription); waiting for a session counts against it, so
 * every attempt runs with the timeout left. A blocking call waits on the caller's thread; the other shapes wait on
 * a virtual thread, and only when no session runs. A call refused by a session whose peer had died before it was
 * sent goes to the next session; one sent already fails as it did.
 */
final class AwaitedRouting implements CallRouting {

    /** Where asynchronous calls wait for a session: a virtual thread each (interrupted when cancelled). */
    private static final Scheduler WAITING = Schedulers.fromExecutorService(
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("rapace-client-wait-", 0).factory()),
            "rapace-client-wait");

    private final SessionSource.Awaited sessions;

    private final Duration timeout;

    private final long timeoutNanos;

    AwaitedRouting(SessionSource.Awaited sessions, @Nullable Duration timeout) {
        if (timeout == null) {
            throw new IllegalArgumentException("a client of " + sessions + " needs a call timeout (ClientOptions"
                    + ".withTimeout): the wait for a session counts against it");
        }
        this.sessions = sessions;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public @Nullable Object call(MethodDefinition method, Object[] arguments) {
        return switch (method.shape()) {
            case VALUE -> blocking(method, arguments);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> future(method, arguments);
            case MONO -> Mono.defer(() -> unary(method, arguments, deadline(), null));
            case FLUX -> Flux.defer(() -> stream(method, arguments, deadline(), null));
        };
    }

    private long deadline() {
        return System.nanoTime() + this.timeoutNanos;
    }

    private @Nullable Object blocking(MethodDefinition method, Object[] arguments) {
        long deadline = deadline();
        RpcSession refused = null;
        while (true) {
            RpcSession session = this.sessions.await(deadline);
            if (session == refused) {
                throw neverSentAndNowhereElse(method, session);
            }
            try {
                return RemoteCalls.blocking(session, method, arguments, left(method, deadline));
            }
            catch (RapaceException failure) {
                if (!neverSent(session, failure)) {
                    throw failure;
                }
                refused = session;
            }
        }
    }

    /**
     * A call answered through a future. With a session running now, the call goes to it at once and the future is
     * that session's own, so that a thread waiting on it reads the answer itself (as it does for a blocking call); a
     * call that session refused before it was sent goes on to the next session, as for the other shapes. Without a
     * running session, the wait for one runs on a virtual thread.
     */
    private CompletableFuture<@Nullable Object> future(MethodDefinition method, Object[] arguments) {
        long deadline = deadline();
        RpcSession running = this.sessions.runningNow();
        if (running == null) {
            return unary(method, arguments, deadline, null).toFuture();
        }
        CompletableFuture<@Nullable Object> first;
        try {
            first = RemoteCalls.future(running, method, arguments, left(method, deadline));
        }
        catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<@Nullable Object> result = first.exceptionallyCompose(failure -> neverSent(running, failure)
                ? unary(method, arguments, deadline, running).toFuture() : CompletableFuture.failedFuture(failure));
        // A dependent's cancel does not reach its source: cancelling the caller's future cancels the call.
        result.whenComplete((value, failure) -> {
            if (failure instanceof CancellationException) {
                first.cancel(true);
            }
        });
        return result;
    }

    private Mono<Object> unary(MethodDefinition method, Object[] arguments, long deadline,
            @Nullable RpcSession refused) {
        return session(method, deadline, refused).flatMap(session -> Mono
            .fromFuture(() -> RemoteCalls.future(session, method, arguments, left(method, deadline)))
            .onErrorResume(failure -> neverSent(session, failure),
                    failure -> unary(method, arguments, deadline, session)));
    }

    private Flux<Object> stream(MethodDefinition method, Object[] arguments, long deadline,
            @Nullable RpcSession refused) {
        return session(method, deadline, refused).flatMapMany(session -> Flux
            .defer(() -> RemoteCalls.stream(session, method, arguments, left(method, deadline)))
            .onErrorResume(failure -> neverSent(session, failure),
                    failure -> stream(method, arguments, deadline, session)));
    }

    /**
     * The session of an attempt: the running one at once, else the next one, awaited on a virtual thread. One that
     * refused this call before cannot take it again.
     */
    private Mono<RpcSession> session(MethodDefinition method, long deadline, @Nullable RpcSession refused) {
        RpcSession running = this.sessions.runningNow();
        Mono<RpcSession> session = running != null ? Mono.just(running)
                : Mono.fromCallable(() -> this.sessions.await(deadline)).subscribeOn(WAITING);
        return refused == null ? session : session.flatMap(next -> next != refused ? Mono.just(next)
                : Mono.error(neverSentAndNowhereElse(method, next)));
    }

    /**
     * What is left of the call's timeout at its deadline.
     *
     * @throws RapaceException {@code DEADLINE_EXCEEDED} when nothing is left
     */
    private Duration left(MethodDefinition method, long deadline) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            RapaceException failure = new RapaceException(ErrorCode.DEADLINE_EXCEEDED, method.qualifiedName()
                    + ": the call timeout of " + this.timeout + " passed while waiting for " + this.sessions);
            this.sessions.refused(failure);
            throw failure;
        }
        return Duration.ofNanos(left);
    }

    /**
     * Whether {@code failure} refused a call that never reached the peer: the session ended because the peer died
     * (its pending calls failed with PEER_DIED), and this call met the closed session or transport before it was
     * sent ({@code SESSION_CLOSED}).
     */
    static boolean neverSent(RpcSession session, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        return cause instanceof RapaceException rapace && rapace.errorCode() == ErrorCode.SESSION_CLOSED
                && session.state() == SessionState.PEER_DIED;
    }

    /** The source handed back the session that refused the call: there is nowhere else to send it. */
    private RapaceException neverSentAndNowhereElse(MethodDefinition method, RpcSession session) {
        RapaceException failure = new RapaceException(ErrorCode.SESSION_CLOSED, method.qualifiedName()
                + " was not sent: the peer of the session on " + session.transport().path() + " died, and "
                + this.sessions + " has no other session");
        this.sessions.refused(failure);
        return failure;
    }
}
