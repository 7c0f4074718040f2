package io.rapace.spring.boot.host;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rapace.spring.boot.host.autoconfigure.RapacePluginsAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * A host application for {@link InterruptedHostTest}: supervises the plugin given in its arguments
 * ({@code --rapace.plugins.adder.*}), prints {@code host ready: pid=P segment=S} once it runs, and then waits to be
 * stopped by a signal. A lifecycle in the web server's phase stands for a web server draining its requests: when
 * the application stops, it waits two seconds (a slow request), then calls the plugin and prints what it got.
 */
public final class InterruptedHostMain {

    private InterruptedHostMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(HostConfiguration.class)
            .web(WebApplicationType.NONE)
            .run(args);
        PluginStatus.Running running = context.getBean(RapacePlugins.class).supervisor("adder").status().running();
        System.out.println("host ready: pid=" + (running != null ? running.pid() : -1) + " segment="
                + (running != null ? running.segment() : "none"));
        // The JVM exits by a signal only (its shutdown hook closes the context).
        new CountDownLatch(1).await(10, TimeUnit.MINUTES);
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(RapacePluginsAutoConfiguration.class)
    static class HostConfiguration {

        @Bean
        SmartLifecycle drainingWebServer(@Lazy Adder adder) {
            return new SmartLifecycle() {

                private volatile boolean running;

                @Override
                public void start() {
                    this.running = true;
                }

                @Override
                public void stop() {
                    try {
                        Thread.sleep(2_000);
                        System.out.println("drain: plugin answered " + adder.add(3, 4));
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    catch (RuntimeException ex) {
                        System.out.println("drain: plugin call failed: " + ex);
                    }
                    this.running = false;
                }

                @Override
                public boolean isRunning() {
                    return this.running;
                }

                @Override
                public int getPhase() {
                    // the phase of Spring Boot's WebServerGracefulShutdownLifecycle
                    return SmartLifecycle.DEFAULT_PHASE - 1024;
                }
            };
        }
    }
}
