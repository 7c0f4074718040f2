package io.rapace.spring.boot.host;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.spring.boot.host.autoconfigure.RapacePluginsMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code rapace.plugin.calls}, tagged {@code plugin} and {@code outcome}, counts each call through a supervised
 * client once: those a running plugin answered ({@code OK}), and those refused while no incarnation ran.
 */
class PluginCallsMeterTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void everyCallThroughTheClientsIsCountedOnceWithItsOutcome() {
        PluginContexts.runner("adder", "serve", "rapace.plugins.adder.calls-during-restart=fail-fast",
                "rapace.plugins.adder.backoff.initial=3s", "rapace.plugins.adder.backoff.max=3s",
                "rapace.plugins.adder.backoff.jitter=0")
            .withConfiguration(AutoConfigurations.of(RapacePluginsMetricsAutoConfiguration.class))
            .run((context) -> {
                MeterRegistry registry = new SimpleMeterRegistry();
                context.getBean("rapacePluginsMeters", MeterBinder.class).bindTo(registry);
                Adder adder = context.getBean(Adder.class);
                for (int i = 0; i < 10; i++) {
                    assertThat(adder.add(i, 1)).isEqualTo(i + 1);
                }
                assertThat(adder.range(4).collectList().block(PATIENCE)).containsExactly(0, 1, 2, 3);
                // a session reports a call's end just after its caller got the answer
                await().atMost(PATIENCE).until(() -> calls(registry, ErrorCode.OK) == 11);

                PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
                ProcessHandle.of(supervisor.status().running().pid()).orElseThrow().destroyForcibly();
                await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.BACKING_OFF);
                assertThatThrownBy(() -> adder.add(1, 2)).isInstanceOfSatisfying(RapaceException.class,
                        (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE));
                assertThat(calls(registry, ErrorCode.UNAVAILABLE)).isEqualTo(1);

                await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.RUNNING);
                assertThat(adder.add(2, 2)).isEqualTo(4);
                await().atMost(PATIENCE).until(() -> calls(registry, ErrorCode.OK) == 12);
                assertThat(registry.find("rapace.plugin.calls").counters()).allSatisfy((counter) ->
                        assertThat(counter.getId().getTag("plugin")).isEqualTo("adder"));
            });
    }

    private static double calls(MeterRegistry registry, ErrorCode outcome) {
        Counter counter = registry.find("rapace.plugin.calls").tags("plugin", "adder", "outcome", outcome.name())
            .counter();
        return counter == null ? 0 : counter.count();
    }
}
