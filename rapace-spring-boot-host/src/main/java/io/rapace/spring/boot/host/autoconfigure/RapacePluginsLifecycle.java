package io.rapace.spring.boot.host.autoconfigure;

import io.rapace.spring.boot.host.RapacePlugins;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the plugins before the application takes traffic and stops them after it has drained: its phase is
 * below the web server's ({@code SmartLifecycle.DEFAULT_PHASE - 2048} for start and stop,
 * {@code DEFAULT_PHASE - 1024} for the graceful drain), and lower phases start first and stop last.
 */
public final class RapacePluginsLifecycle implements SmartLifecycle {

    /** Below the web server's start/stop phase and its graceful-shutdown phase. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final RapacePlugins plugins;

    private volatile boolean running;

    /** The lifecycle of {@code plugins}. */
    public RapacePluginsLifecycle(RapacePlugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public void start() {
        this.plugins.start();
        this.running = true;
    }

    @Override
    public void stop() {
        try {
            this.plugins.stop();
        }
        finally {
            this.running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
