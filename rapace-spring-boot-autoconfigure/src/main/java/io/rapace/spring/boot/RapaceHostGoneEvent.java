package io.rapace.spring.boot;

import java.nio.file.Path;

import io.rapace.core.session.RpcSession;

import org.springframework.util.Assert;

/**
 * The session ended on its own because the host went away: it closed the session, or it died. Published on a
 * thread of its own, before the host-exit handler runs (which by default exits the application).
 */
public final class RapaceHostGoneEvent extends RapaceSessionEvent {

    private final RapaceHostExit exit;

    /** A host-gone event for {@code session} over {@code path}, published by {@code source}. */
    public RapaceHostGoneEvent(Object source, RpcSession session, Path path, RapaceHostExit exit) {
        super(source, session, path);
        Assert.notNull(exit, "'exit' must not be null");
        this.exit = exit;
    }

    /** How the host went away. */
    public RapaceHostExit getExit() {
        return this.exit;
    }

    /** Whether the host died (its heartbeat stopped and it left its segment behind) rather than closed. */
    public boolean isDied() {
        return this.exit.died();
    }
}
