package io.rapace.spring.boot;

import java.nio.file.Path;

import io.rapace.core.session.RpcSession;

import org.springframework.context.ApplicationEvent;
import org.springframework.util.Assert;

/**
 * An event in the life of the plugin's rapace session, published by the session lifecycle through the
 * application context: listen with {@code @EventListener} for one of the subtypes.
 */
public abstract sealed class RapaceSessionEvent extends ApplicationEvent
        permits RapaceSessionStartedEvent, RapaceSessionStoppedEvent, RapaceHostGoneEvent {

    private final RpcSession session;

    private final Path path;

    RapaceSessionEvent(Object source, RpcSession session, Path path) {
        super(source);
        Assert.notNull(session, "'session' must not be null");
        Assert.notNull(path, "'path' must not be null");
        this.session = session;
        this.path = path;
    }

    /** The session the event is about (it may have ended by the time a listener looks). */
    public RpcSession getSession() {
        return this.session;
    }

    /** The segment file the session runs over. */
    public Path getPath() {
        return this.path;
    }
}
