package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.rapace.core.service.ClientOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plain-Java plugin's start-up leaves out what its first answer does not need. It has nothing to log, so it starts
 * without setting up the JDK's logging: the first
 * {@code System.getLogger} of a process finds its backend (a service-loader scan, then {@code java.util.logging}'s
 * configuration), 15-30 ms of a cold JVM's start-up (docs/startup.md). So rapace's classes make their loggers at their
 * first log line, and nothing on the way to the first answer logs. Seen from outside, in the classes the plugin's JVM
 * loads ({@code -Xlog:class+load}) up to the moment its first call runs. Nor does it look at its host's process
 * before that answer.
 */
class QuietStartTest {

    /** The class the JDK initialises at the first {@code System.getLogger} to find the logging backend. */
    private static final String LOGGING_SET_UP = "jdk.internal.logger.BootstrapLogger$DetectBackend ";

    /** The plugin's entry point, loaded before anything it starts. */
    private static final String RAPACE_PLUGIN = "io.rapace.core.runtime.RapacePlugin ";

    /** The JDK's implementation of {@link ProcessHandle}, loaded at a JVM's first one. */
    private static final String PROCESS_HANDLE = "java.lang.ProcessHandleImpl ";

    @TempDir
    Path dir;

    @Test
    void aPluginWithNothingToLogServesItsFirstCallBeforeTheJdksLoggingIsSetUp() throws Exception {
        List<String> lines = outputUpToTheFirstCall();

        assertThat(lines).as("the classes loaded up to the first call")
                .anySatisfy(line -> assertThat(line).contains(RAPACE_PLUGIN))
                .noneSatisfy(line -> assertThat(line).contains(LOGGING_SET_UP));
    }

    @Test
    void aPluginLooksAtItsHostsProcessOnlyOnceItHasAnsweredOrAfterTwoSeconds() throws Exception {
        // The first ProcessHandle of a JVM sets up the JDK's process reaper, and the watch on the host its lambdas and
        // thread: about 25 ms of a cold plugin's CPU, deferred until its first answer (HostProcessWatch
        // .watchAfterStartUp) or, with no call, 2 s. So a ProcessHandle made before the first call is a defect unless
        // those 2 s had passed (a slow machine's host may call that late): read from the log's uptime stamps.
        List<String> lines = outputUpToTheFirstCall();

        int plugin = indexOf(lines, RAPACE_PLUGIN);
        int processHandle = indexOf(lines, PROCESS_HANDLE);
        assertThat(plugin).as("RapacePlugin loaded before the first call").isNotNegative();
        if (processHandle >= 0) {
            assertThat(uptimeSeconds(lines.get(processHandle)) - uptimeSeconds(lines.get(plugin)))
                    .as("a ProcessHandle before the first call, %s: only after the deferred watch's 2 s",
                            lines.get(processHandle))
                    .isGreaterThanOrEqualTo(2.0);
        }
    }

    /**
     * Launches the plugin with its class loading logged (each line stamped with the JVM's uptime), calls it once,
     * and returns its output up to the moment that call ran.
     */
    private List<String> outputUpToTheFirstCall() throws Exception {
        Path output = this.dir.resolve("plugin.log");
        try (RapaceHost host = RapaceHost.builder().path(this.dir.resolve("segment.shm"))
                .command(ChildJvm.command(SleeperPluginMain.class, "-Xlog:class+load=info:stdout:uptime"))
                .redirectOutput(Redirect.to(output.toFile())).redirectError(Redirect.appendTo(output.toFile()))
                .start()) {
            host.awaitPluginStarted(Duration.ofSeconds(120));
            Sleeper sleeper = host.client(Sleeper.class, ClientOptions.defaults().withTimeout(Duration.ofSeconds(60)));

            assertThat(sleeper.sleep(0)).isEqualTo("slept 0");
        }
        List<String> lines = Files.readAllLines(output);
        int firstCall = indexOf(lines, "SLEEP STARTED");
        assertThat(firstCall).as("the plugin's first call, in its output").isNotNegative();
        return lines.subList(0, firstCall);
    }

    private static int indexOf(List<String> lines, String part) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    /** The JVM's uptime at a line of {@code -Xlog:…:uptime}, which starts {@code [1.234s]}. */
    private static double uptimeSeconds(String line) {
        return Double.parseDouble(line.substring(1, line.indexOf("s]")));
    }
}
