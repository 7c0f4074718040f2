package io.rapace.spring.boot.host.autoconfigure;

import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rapace.core.ErrorCode;
import io.rapace.spring.boot.host.PluginStatus;
import io.rapace.spring.boot.host.PluginSupervisor;
import io.rapace.spring.boot.host.RapacePlugins;

/**
 * Meters of every supervised plugin, tagged {@code plugin}: {@code rapace.plugin.restarts} (counter),
 * {@code rapace.plugin.startup} (timer, one sample per incarnation), {@code rapace.plugin.up} (1 while an
 * incarnation runs), {@code rapace.plugin.incarnation}, {@code rapace.plugin.ring.occupancy}
 * ({@code direction} = {@code send} | {@code receive}), {@code rapace.plugin.calls} (counter of the calls through
 * the plugin's clients, tagged {@code outcome}: {@code OK} or the error code's name, as {@code rapace.server.calls}
 * on the plugin's side). Gauges read the supervisor when sampled.
 */
final class RapacePluginsMeters implements MeterBinder {

    private final RapacePlugins plugins;

    RapacePluginsMeters(RapacePlugins plugins) {
        this.plugins = plugins;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (PluginSupervisor supervisor : this.plugins.supervisors()) {
            String name = supervisor.definition().name();
            FunctionCounter.builder("rapace.plugin.restarts", supervisor, (s) -> s.status().restarts())
                .tag("plugin", name)
                .description("restarts of the plugin after a failure or exit")
                .register(registry);
            Gauge.builder("rapace.plugin.up", supervisor, (s) -> s.status().running() != null ? 1 : 0)
                .tag("plugin", name)
                .description("1 while an incarnation of the plugin runs")
                .register(registry);
            Gauge.builder("rapace.plugin.incarnation", supervisor, (s) -> s.status().incarnation())
                .tag("plugin", name)
                .description("the number of the plugin's current incarnation")
                .register(registry);
            Gauge.builder("rapace.plugin.ring.occupancy", supervisor, (s) -> occupancy(s, true))
                .tags("plugin", name, "direction", "send")
                .baseUnit("descriptors")
                .register(registry);
            Gauge.builder("rapace.plugin.ring.occupancy", supervisor, (s) -> occupancy(s, false))
                .tags("plugin", name, "direction", "receive")
                .baseUnit("descriptors")
                .register(registry);
            Timer startup = Timer.builder("rapace.plugin.startup")
                .tag("plugin", name)
                .description("from launching an incarnation to its first heartbeat")
                .register(registry);
            supervisor.onStarted(startup::record);
            CallCounters calls = new CallCounters(registry, name);
            supervisor.onCallEnded(calls::increment);
        }
    }

    /** The {@code rapace.plugin.calls} counters of one plugin, one per outcome, registered on first use. */
    private static final class CallCounters {

        private final MeterRegistry registry;

        private final String plugin;

        private final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(ErrorCode.values().length);

        CallCounters(MeterRegistry registry, String plugin) {
            this.registry = registry;
            this.plugin = plugin;
        }

        void increment(ErrorCode outcome) {
            Counter counter = this.counters.get(outcome.ordinal());
            if (counter == null) {
                // Registering twice is harmless: the registry returns the same counter for the same id.
                counter = Counter.builder("rapace.plugin.calls")
                    .tags("plugin", this.plugin, "outcome", outcome.name())
                    .description("calls through the plugin's clients, by outcome (OK or the error code)")
                    .register(this.registry);
                this.counters.set(outcome.ordinal(), counter);
            }
            counter.increment();
        }
    }

    private static double occupancy(PluginSupervisor supervisor, boolean send) {
        PluginStatus.Running running = supervisor.status().running();
        if (running == null) {
            return 0;
        }
        return send ? running.sendOccupancy() : running.receiveOccupancy();
    }
}
