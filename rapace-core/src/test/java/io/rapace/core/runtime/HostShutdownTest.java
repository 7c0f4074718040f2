package io.rapace.core.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host JVM that gets SIGTERM stops its plugin in order: SIGTERM to the plugin, the plugin's grace period for
 * its in-flight calls, SIGKILL only after that; the host exits after its plugin, and no process or file is left.
 */
class HostShutdownTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void sigtermToTheHostGivesThePluginSigtermAndItsGracePeriod() throws Exception {
        List<String> command = new ArrayList<>(ChildJvm.command(SigtermedHostMain.class));
        command.add("6000"); // the plugin's call lasts 6 s, longer than its 3 s liveness timeout
        Process host = new ProcessBuilder(command).redirectErrorStream(true).start();
        host.getOutputStream().close();
        ProcessOutput output = ProcessOutput.of(host);
        long pluginPid = -1;
        try {
            pluginPid = Long.parseLong(output.awaitLine("PLUGIN ", PATIENCE));
            Path segment = Path.of(output.awaitLine("PATH ", PATIENCE));
            output.awaitLine("SLEEP STARTED", PATIENCE);

            host.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output pipe

            assertThat(host.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as(output::toString).isTrue();
            boolean pluginGone = ProcessHandle.of(pluginPid).map((p) -> !p.isAlive()).orElse(true);
            assertThat(pluginGone).as("the plugin exited before its host: no orphan").isTrue();
            assertThat(output.awaitEnd(PATIENCE)).as("the output ends once host and plugin are gone").isTrue();
            assertThat(host.exitValue()).as(output::toString).isEqualTo(143);
            assertThat(output.has("PLUGIN SHUTDOWN")).as("the plugin got SIGTERM, not SIGKILL:\n" + output).isTrue();
            assertThat(output.has("SLEEP FINISHED")).as("the plugin drained its call:\n" + output).isTrue();
            assertThat(output.has("SLEEP INTERRUPTED")).as(output::toString).isFalse();
            assertThat(segment).as("no segment file left").doesNotExist();
        }
        finally {
            host.destroyForcibly();
            if (pluginPid > 0) {
                ProcessHandle.of(pluginPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
