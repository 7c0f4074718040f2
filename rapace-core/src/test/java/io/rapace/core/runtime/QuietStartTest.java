package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.rapace.core.service.ClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain-Java plugin that has nothing to log starts without setting up the JDK's logging: the first
 * {@code System.getLogger} of a process finds its backend (a service-loader scan, then {@code java.util.logging}'s
 * configuration), 15-30 ms of a cold JVM's start-up (docs/startup.md). So rapace's classes make their loggers at their
 * first log line, and nothing on the way to the first answer logs. Seen from outside, in the classes the plugin's JVM
 * loads ({@code -Xlog:class+load}) up to the moment its first call runs.
 */
class QuietStartTest {

    /** The class the JDK initialises at the first {@code System.getLogger} to find the logging backend. */
    private static final String LOGGING_SET_UP = "jdk.internal.logger.BootstrapLogger$DetectBackend ";

    @TempDir
    Path dir;

    @Test
    void aPluginWithNothingToLogServesItsFirstCallBeforeTheJdksLoggingIsSetUp() throws Exception {
        Path output = this.dir.resolve("plugin.log");
        try (RapaceHost host = RapaceHost.builder().path(this.dir.resolve("segment.shm"))
                .command(ChildJvm.command(SleeperPluginMain.class, "-Xlog:class+load=info:stdout:none"))
                .redirectOutput(Redirect.to(output.toFile())).redirectError(Redirect.appendTo(output.toFile()))
                .start()) {
            host.awaitPluginStarted(Duration.ofSeconds(120));
            Sleeper sleeper = host.client(Sleeper.class, ClientOptions.defaults().withTimeout(Duration.ofSeconds(60)));

            assertThat(sleeper.sleep(0)).isEqualTo("slept 0");

            String log = Files.readString(output);
            int firstCall = log.indexOf("SLEEP STARTED");
            assertThat(firstCall).as("the plugin's first call, in its output").isNotNegative();
            assertThat(log.substring(0, firstCall)).as("the classes loaded up to the first call")
                    .contains("io.rapace.core.runtime.RapacePlugin ")
                    .doesNotContain(LOGGING_SET_UP);
        }
    }
}
