package io.rapace.spring.boot.autoconfigure;

import io.rapace.core.service.RapaceService;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A Spring plugin application for {@link SpringPluginExitCodeTests}: serves {@link SleeperApi}, printing
 * {@code SLEEP STARTED} and {@code SLEEP FINISHED} around each call.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ RapaceServicesAutoConfiguration.class, RapaceAutoConfiguration.class })
public class SlowSpringPluginMain {

    public static void main(String[] args) {
        SpringApplication.run(SlowSpringPluginMain.class, args);
    }

    @Bean
    SlowSleeper slowSleeper() {
        return new SlowSleeper();
    }

    /** The host's view of the service. */
    @RapaceService("Sleeper")
    public interface SleeperApi {

        /** Sleeps {@code millis}, then answers "slept N". */
        String sleep(long millis);
    }

    /** The plugin's implementation. */
    @RapaceService("Sleeper")
    public static class SlowSleeper implements SleeperApi {

        @Override
        public String sleep(long millis) {
            say("SLEEP STARTED");
            try {
                Thread.sleep(millis);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                say("SLEEP INTERRUPTED");
                return "interrupted";
            }
            say("SLEEP FINISHED");
            return "slept " + millis;
        }

        private static void say(String line) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
