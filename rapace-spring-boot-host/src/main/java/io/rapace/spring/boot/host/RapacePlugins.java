package io.rapace.spring.boot.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The supervised plugins of an application, by name: starts them together (each waits for its first
 * incarnation) and stops them together (each gets its stop timeout). While they run, a JVM shutdown hook tells every
 * supervisor that the application is shutting down the moment it begins, so that none restarts a plugin that ends
 * meanwhile (a plugin that shares the application's process group gets a terminal's SIGINT too); the orderly stop
 * comes from {@link #stop()}, after the application has drained.
 */
public final class RapacePlugins {

    private static final Log LOG = LogFactory.getLog(RapacePlugins.class);

    private final Map<String, PluginSupervisor> supervisors;

    private final List<String> order;

    /** Set while the plugins run: tells the supervisors that the JVM shuts down. */
    private @Nullable Thread shutdownSignal;

    /** The plugins of {@code definitions}, in order; names must be distinct. */
    public RapacePlugins(List<PluginDefinition> definitions) {
        Map<String, PluginSupervisor> byName = new LinkedHashMap<>();
        for (PluginDefinition definition : definitions) {
            if (byName.putIfAbsent(definition.name(), new PluginSupervisor(definition)) != null) {
                throw new IllegalArgumentException("two plugins are named '" + definition.name() + "'");
            }
        }
        this.supervisors = Map.copyOf(byName);
        this.order = List.copyOf(byName.keySet());
    }

    /** The plugins' names, in declaration order. */
    public List<String> names() {
        return this.order;
    }

    /**
     * The supervisor of plugin {@code name}.
     *
     * @throws IllegalArgumentException naming the known plugins when there is none of that name
     */
    public PluginSupervisor supervisor(String name) {
        Objects.requireNonNull(name, "name");
        PluginSupervisor supervisor = this.supervisors.get(name);
        if (supervisor == null) {
            throw new IllegalArgumentException("no plugin named '" + name + "'; the plugins are " + this.order);
        }
        return supervisor;
    }

    /** Every supervisor, in declaration order. */
    public List<PluginSupervisor> supervisors() {
        return this.order.stream().map(this.supervisors::get).toList();
    }

    /** Starts every plugin at once and returns when each has started or failed its first start. */
    public void start() {
        synchronized (this) {
            if (this.shutdownSignal == null) {
                Thread signal = Thread.ofPlatform().name("rapace-plugins-shutdown-signal").unstarted(
                        () -> supervisors().forEach(PluginSupervisor::applicationShuttingDown));
                Runtime.getRuntime().addShutdownHook(signal);
                this.shutdownSignal = signal;
            }
        }
        forEachInParallel("start", PluginSupervisor::start);
    }

    /** Stops every plugin at once and returns when every process is gone. */
    public void stop() {
        forEachInParallel("stop", PluginSupervisor::stop);
        synchronized (this) {
            Thread signal = this.shutdownSignal;
            this.shutdownSignal = null;
            if (signal != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(signal);
                }
                catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting: the hook has run or runs now
                }
            }
        }
    }

    private void forEachInParallel(String what, java.util.function.Consumer<PluginSupervisor> action) {
        List<Thread> threads = new ArrayList<>();
        for (PluginSupervisor supervisor : supervisors()) {
            // platform threads: a start or stop must not wait for a carrier of the virtual threads' scheduler
            threads.add(Thread.ofPlatform().daemon().name("rapace-plugin-" + what + "-" + supervisor.definition().name())
                .start(() -> {
                    try {
                        action.accept(supervisor);
                    }
                    catch (RuntimeException | Error ex) {
                        // One plugin's failure must not go unnoticed as a bare thread trace, nor hold up the others.
                        LOG.error("plugin '" + supervisor.definition().name() + "': " + what + " failed", ex);
                    }
                }));
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
