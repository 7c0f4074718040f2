package io.rapace.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;

import com.github.dockerjava.api.model.HostConfig;
import io.rapace.test.RapaceClient;
import io.rapace.test.RapacePluginContainer;
import io.rapace.test.RapacePluginExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample plugin's image ({@code rapace/sample-plugin:dev}, built by build-plugin-image.sh before the
 * integration tests) in a container, serving a host in this JVM over a segment shared across the container
 * boundary. Skipped, with a message saying so, where no Docker engine is reachable.
 */
class SamplePluginContainerIT {

    /** The image the build made (failsafe passes the tag). */
    static final String IMAGE = System.getProperty("rapace.image.tag", "rapace/sample-plugin:dev");

    @RegisterExtension
    static RapacePluginExtension plugin = RapacePluginExtension.container(IMAGE,
            (container) -> container.withCpus(1).withMemoryLimit(512L << 20));

    @RapaceClient
    private Calculator calculator;

    @Test
    void servesCalculatorAndHasherFromTheContainer(Hasher hasher) throws Exception {
        assertThat(this.calculator.add(40, 2)).isEqualTo(42);
        assertThat(this.calculator.range(3).collectList().block(Duration.ofSeconds(30))).containsExactly(0, 1, 2);
        byte[] data = { 1, 2, 3 };
        assertThat(hasher.sha256(data)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void theWakeExtensionsFutexWorksOnTheMappingSharedAcrossTheBoundary() {
        // Both peers advertise the extension in the segment header: the plugin set WAKE_B through its mapping.
        assertThat(plugin.session().transport().wakeExtensionActive()).isTrue();
        // Idle peers sleep in futex(2) on the shared words; each call after an idle pause needs the wake.
        for (int i = 0; i < 3; i++) {
            sleep(Duration.ofMillis(600));
            assertThat(this.calculator.add(i, 1)).isEqualTo(i + 1);
        }
    }

    @Test
    void theSegmentKeepsItsModeAndOwnerAndThePluginRunsAsItsOwner() throws Exception {
        Path segment = plugin.segmentPath();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(segment))).isEqualTo("rw-------");
        int hostUid = (int) Files.getAttribute(segment, "unix:uid");
        assertThat(hostUid).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        RapacePluginContainer container = plugin.container().orElseThrow();
        // The container's java process, seen from here (the engine's PID namespace), maps the same path.
        ProcessHandle pluginProcess = container.hostProcess().orElseThrow();
        assertThat(pluginProcess.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(Files.readString(Path.of("/proc", Long.toString(pluginProcess.pid()), "status")))
            .containsPattern("(?m)^Uid:\\s+" + hostUid + "\\s");
        // Only the segment's own directory is shared, not the host's /dev/shm.
        assertThat(segment.getParent().getFileName().toString()).startsWith("rapace-container-");
    }

    @Test
    void theContainerHasNoNetworkAndTheLimitsItWasGiven() {
        HostConfig config = plugin.container().orElseThrow().getContainerInfo().getHostConfig();
        assertThat(config.getNetworkMode()).isEqualTo("none");
        assertThat(config.getNanoCPUs()).isEqualTo(1_000_000_000L);
        assertThat(config.getMemory()).isEqualTo(512L << 20);
    }

    @Test
    void thePluginsLogIsCaptured() throws Exception {
        assertThat(Files.readString(plugin.logFile().orElseThrow())).contains("SamplePluginApplication");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }
}
