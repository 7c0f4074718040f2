package io.rapace.core.service;

import io.rapace.core.session.RpcSession;

/** A source that has the session of a call at once, or refuses the call at once: it never waits. */
sealed interface DirectSource extends SessionSource permits FixedSession, SessionPerCall, GuardedSession {

    /**
     * The session of a call made now.
     *
     * @throws RuntimeException whatever refuses the call (a guard's problem, no session running)
     */
    RpcSession sessionOfCall();
}
