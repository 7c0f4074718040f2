package io.rapace.core.service;

import java.util.function.Supplier;

import io.rapace.core.RapaceException;
import io.rapace.core.session.RpcSession;
import org.jspecify.annotations.Nullable;

/** {@link SessionSource#guarded(RpcSession, Supplier)}: one session, each call refused while the guard objects. */
record GuardedSession(RpcSession session, Supplier<@Nullable RapaceException> guard) implements DirectSource {

    @Override
    public RpcSession sessionOfCall() {
        RapaceException problem = this.guard.get();
        if (problem != null) {
            throw problem;
        }
        return this.session;
    }
}
