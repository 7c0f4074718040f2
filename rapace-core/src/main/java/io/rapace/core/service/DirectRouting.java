package io.rapace.core.service;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

/**
 * Calls that have their session at once (a fixed one, one looked up per call, a guarded one): nothing is added to
 * the session's own call but the look-up, and a refusal is reported in the style of the return type.
 */
final class DirectRouting implements CallRouting {

    private final DirectSource source;

    private final @Nullable Duration timeout;

    DirectRouting(DirectSource source, @Nullable Duration timeout) {
        this.source = source;
        this.timeout = timeout;
    }

    /** Where the calls' sessions come from. */
    DirectSource source() {
        return this.source;
    }

    /** The calls' timeout; null: the session's default. */
    @Nullable Duration timeout() {
        return this.timeout;
    }

    @Override
    public @Nullable Object call(MethodDefinition method, Object[] arguments) {
        return switch (method.shape()) {
            case VALUE -> RemoteCalls.blocking(this.source.sessionOfCall(), method, arguments, this.timeout);
            case COMPLETABLE_FUTURE, COMPLETION_STAGE -> future(method, arguments);
            case MONO -> new LeadingMono(() -> future(method, arguments)); // lazy; cancelling cancels the call
            case FLUX -> Flux.defer(() -> RemoteCalls.stream(this.source.sessionOfCall(), method, arguments,
                    this.timeout));
        };
    }

    private CompletableFuture<@Nullable Object> future(MethodDefinition method, Object[] arguments) {
        RpcSession session;
        try {
            session = this.source.sessionOfCall();
        }
        catch (RuntimeException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return RemoteCalls.future(session, method, arguments, this.timeout);
    }
}
