package io.rapace.core.service;

import io.rapace.core.session.RpcSession;

/** {@link SessionSource#of(RpcSession)}: one session for every call. */
record FixedSession(RpcSession session) implements DirectSource {

    @Override
    public RpcSession sessionOfCall() {
        return this.session;
    }
}
