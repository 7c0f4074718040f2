package io.rapace.spring.boot.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The supervised plugins of an application, by name: starts them together (each waits for its first
 * incarnation) and stops them together (each gets its stop timeout).
 */
public final class RapacePlugins {

    private final Map<String, PluginSupervisor> supervisors;

    private final List<String> order;

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
        forEachInParallel("start", PluginSupervisor::start);
    }

    /** Stops every plugin at once and returns when every process is gone. */
    public void stop() {
        forEachInParallel("stop", PluginSupervisor::stop);
    }

    private void forEachInParallel(String what, java.util.function.Consumer<PluginSupervisor> action) {
        List<Thread> threads = new ArrayList<>();
        for (PluginSupervisor supervisor : supervisors()) {
            threads.add(Thread.ofVirtual().name("rapace-plugin-" + what + "-" + supervisor.definition().name())
                .start(() -> action.accept(supervisor)));
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
