package io.rapace.core.service;

import java.util.function.Supplier;

import io.rapace.core.session.RpcSession;

/** {@link SessionSource#perCall(Supplier)}: the supplier's session at the time of each call. */
record SessionPerCall(Supplier<RpcSession> sessions) implements DirectSource {

    @Override
    public RpcSession sessionOfCall() {
        return this.sessions.get();
    }
}
