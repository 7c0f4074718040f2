package io.rapace.core.runtime;

import java.time.Duration;

/**
 * A plain-Java plugin for the shutdown tests: {@code RapacePlugin.run} serving {@link Sleeper}, with a close
 * grace of 30 s. Prints to standard output {@code SLEEP STARTED} and {@code SLEEP FINISHED} around each call and
 * {@code PLUGIN SHUTDOWN} from a shutdown hook (which a SIGKILL never runs). The liveness timeout comes from
 * {@code -Drapace.test.liveness} (default 3 s).
 */
public final class SleeperPluginMain {

    private SleeperPluginMain() {
    }

    public static void main(String[] args) {
        Duration liveness = Duration.parse(System.getProperty("rapace.test.liveness", "PT3S"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> say("PLUGIN SHUTDOWN")));
        RapacePlugin.builder().services(new PrintingSleeper()).livenessTimeout(liveness)
                .heartbeatInterval(Duration.ofMillis(100)).closeGrace(Duration.ofSeconds(30)).build().run(args);
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Sleeps and tells. */
    private static final class PrintingSleeper implements Sleeper {

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
    }
}
