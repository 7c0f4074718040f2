package io.rapace.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** No segment file is left behind when a host is killed with SIGKILL (docs/segment-files.md). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SegmentFileCleanupTest {

    private static final Duration LIVENESS = Duration.ofSeconds(1);

    @Test
    void aPluginRemovesTheSegmentFileOfAHostKilledWithSigkill(@TempDir Path dir) throws Exception {
        Path segment = dir.resolve("killed-host.shm");
        Process hostProcess = startHost(segment);
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(hostProcess.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("READY");
            // The host is not an ancestor of this (test) JVM, so its process is not watched: it is gone once its
            // heartbeat stood still for peerGoneAfter.
            RapacePlugin plugin = RapacePlugin.builder().services(new CalculatorImpl()).livenessTimeout(LIVENESS)
                    .peerGoneAfter(Duration.ofSeconds(2)).heartbeatInterval(Duration.ofMillis(100)).build();
            CompletableFuture<Throwable> run = CompletableFuture.supplyAsync(() -> {
                try {
                    plugin.run(new String[] {"--shm-path=" + segment});
                    return null;
                }
                catch (Throwable failure) {
                    return failure;
                }
            });
            assertThat(out.readLine()).as("the host saw the plugin connect").isEqualTo("CONNECTED");

            hostProcess.destroyForcibly().waitFor();

            assertThat(run.get(30, TimeUnit.SECONDS)).isInstanceOf(RapaceRuntimeException.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(segment).doesNotExist());
        }
        finally {
            hostProcess.destroyForcibly().waitFor();
            Files.deleteIfExists(segment);
        }
    }

    @Test
    void aHostStartRemovesTheAbandonedTemporarySegmentOfAKilledHost() throws Exception {
        Path directory = SegmentFiles.temporaryDirectory();
        Path abandoned = directory.resolve("rapace-killed-test-" + Long.toHexString(
                ThreadLocalRandom.current().nextLong()) + ".shm");
        Process hostProcess = startHost(abandoned);
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(hostProcess.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("READY");
            hostProcess.destroyForcibly().waitFor();
            assertThat(abandoned).exists();

            // An abandoned file is one nobody locks, written or heartbeated for 3 s: start hosts until one removes it.
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                try (RapaceHost host = RapaceHost.builder().command(List.of("sh", "-c", "exec sleep 120", "plugin"))
                        .redirectOutput(Redirect.DISCARD).stopTimeout(Duration.ofSeconds(1)).start()) {
                    assertThat(host.path()).exists();
                }
                assertThat(abandoned).doesNotExist();
            });
        }
        finally {
            hostProcess.destroyForcibly().waitFor();
            Files.deleteIfExists(abandoned);
        }
    }

    private static Process startHost(Path segment) throws Exception {
        List<String> command = new ArrayList<>(ChildJvm.command(HostMain.class));
        command.add(segment.toString());
        return new ProcessBuilder(command).redirectError(Redirect.INHERIT).start();
    }
}
