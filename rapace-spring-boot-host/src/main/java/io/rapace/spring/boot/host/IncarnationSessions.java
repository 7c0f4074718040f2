package io.rapace.spring.boot.host;

import io.rapace.core.RapaceException;
import io.rapace.core.service.SessionSource;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;

/**
 * Where the calls of a supervised plugin's clients go: the session of the incarnation running at the time of each
 * call. While none runs, a call waits for the next one up to its deadline, or fails at once with
 * {@code UNAVAILABLE} ({@link CallsDuringRestart#FAIL_FAST}); the client counts the wait against the call's
 * timeout and sends a call that a dead incarnation refused before sending it to the next one.
 */
final class IncarnationSessions implements SessionSource.Awaited {

    private final PluginSupervisor supervisor;

    IncarnationSessions(PluginSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public @Nullable RpcSession runningNow() {
        Incarnation running = this.supervisor.runningNow();
        return running != null ? running.host().session() : null;
    }

    @Override
    public RpcSession await(long deadlineNanos) {
        return this.supervisor.awaitIncarnation(deadlineNanos).host().session();
    }

    @Override
    public void refused(RapaceException failure) {
        this.supervisor.callEnded(failure.errorCode());
    }

    @Override
    public String toString() {
        return "plugin '" + this.supervisor.definition().name() + "'";
    }
}
