package io.rapace.spring.boot.host;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.rapace.spring.boot.host.autoconfigure.RapacePluginsLifecycle;
import org.junit.jupiter.api.Test;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugins start before a lifecycle in the web server's phase and stop after it: a bean standing for the web
 * server calls the plugin when it starts and again while it drains; after the context closed, no process and no
 * segment file is left.
 */
class ShutdownOrderingTest {

    private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @Test
    void pluginsStartBeforeTheWebServerPhaseAndStopAfterItDrained() {
        EVENTS.clear();
        PluginStatus.Running[] running = new PluginStatus.Running[1];
        PluginContexts.runner("adder", "serve").withUserConfiguration(WebServerStandIn.class).run((context) -> {
            running[0] = context.getBean(RapacePlugins.class).supervisor("adder").status().running();
            assertThat(running[0]).isNotNull();
            assertThat(running[0].segment()).exists();
        });
        assertThat(EVENTS).containsExactly("web server started; plugin answered 5",
                "web server draining; plugin answered 7");
        assertThat(ProcessHandle.of(running[0].pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(running[0].segment()).doesNotExist();
        assertThat(PluginSupervisionTest.leftoverChildren()).isEmpty();
    }

    @Test
    void thePluginsPhaseIsBelowTheWebServersStartStopAndGracefulShutdownPhases() {
        assertThat(RapacePluginsLifecycle.PHASE).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
    }

    @Configuration(proxyBeanMethods = false)
    static class WebServerStandIn {

        @Bean
        SmartLifecycle webServerStandIn(@Lazy Adder adder) {
            return new SmartLifecycle() {

                private volatile boolean running;

                @Override
                public void start() {
                    EVENTS.add("web server started; plugin answered " + adder.add(2, 3));
                    this.running = true;
                }

                @Override
                public void stop() {
                    EVENTS.add("web server draining; plugin answered " + adder.add(3, 4));
                    this.running = false;
                }

                @Override
                public boolean isRunning() {
                    return this.running;
                }

                @Override
                public int getPhase() {
                    // the phase of Spring Boot's WebServerStartStopLifecycle
                    return SmartLifecycle.DEFAULT_PHASE - 2048;
                }
            };
        }
    }
}
