package io.rapace.spring.boot;

import java.nio.file.Path;

import io.rapace.core.session.RpcSession;

/** The session lifecycle opened the host's segment and started the session: the plugin now serves its host. */
public final class RapaceSessionStartedEvent extends RapaceSessionEvent {

    /** A started event for {@code session} over {@code path}, published by {@code source}. */
    public RapaceSessionStartedEvent(Object source, RpcSession session, Path path) {
        super(source, session, path);
    }
}
