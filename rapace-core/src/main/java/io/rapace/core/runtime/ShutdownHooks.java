package io.rapace.core.runtime;

/** JVM shutdown hooks that are withdrawn once their work has been done the ordinary way. */
final class ShutdownHooks {

    private ShutdownHooks() {
    }

    /** Registers {@code action} to run on a platform thread when the JVM shuts down; returns the hook thread. */
    static Thread register(Runnable action) {
        Thread hook = Thread.ofPlatform().unstarted(action);
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * Throws when the JVM is shutting down (a hook can no longer be registered then).
     *
     * @throws RapaceRuntimeException of kind {@code LAUNCH_FAILED} with {@code message}
     */
    static void refuseWhileShuttingDown(String message) {
        Thread probe = Thread.ofPlatform().unstarted(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
        }
        catch (IllegalStateException shuttingDown) {
            // Refused, or the shutdown began in between (the empty probe then runs with the other hooks).
            throw new RapaceRuntimeException(RapaceRuntimeException.Kind.LAUNCH_FAILED, message, shuttingDown);
        }
    }

    /** Withdraws {@code hook}; nothing to do once the JVM is shutting down (the hook is running or has run). */
    static void withdraw(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException shuttingDown) {
            // The JVM is exiting: the hook runs anyway.
        }
    }
}
