package io.rapace.spring.boot;

import java.nio.file.Path;

import io.rapace.core.session.RpcSession;

/**
 * The session lifecycle stopped (the application context stops or closes): the session is closed, in-flight calls
 * had the shutdown grace period to finish, and the segment is closed. Published whether the session was still
 * running or had already ended because the host went away.
 */
public final class RapaceSessionStoppedEvent extends RapaceSessionEvent {

    /** A stopped event for {@code session} over {@code path}, published by {@code source}. */
    public RapaceSessionStoppedEvent(Object source, RpcSession session, Path path) {
        super(source, session, path);
    }
}
