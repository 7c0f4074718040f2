package io.rapace.spring.boot.host.autoconfigure;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.rapace.spring.boot.host.PluginStatus;
import io.rapace.spring.boot.host.PluginSupervisor;
import io.rapace.spring.boot.host.RapacePlugins;

/**
 * Meters of every supervised plugin, tagged {@code plugin}: {@code rapace.plugin.restarts} (counter),
 * {@code rapace.plugin.startup} (timer, one sample per incarnation), {@code rapace.plugin.up} (1 while an
 * incarnation runs), {@code rapace.plugin.incarnation}, {@code rapace.plugin.ring.occupancy}
 * ({@code direction} = {@code send} | {@code receive}). Gauges read the supervisor when sampled.
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
