package io.rapace.sample;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.github.dockerjava.api.exception.NotFoundException;
import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.test.RapacePluginContainer;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The sample plugin's container from start to end without the test extension: a host in this JVM creates the
 * segment, a {@link RapacePluginContainer} (or a {@code docker run} command launched by {@link RapaceHost}, the
 * production way) opens it, and the end leaves no container, process or file behind.
 */
class SamplePluginContainerLifecycleIT {

    private Path directory;

    private Path segment;

    private Path log;

    @BeforeEach
    void segmentDirectory() throws IOException {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine is reachable: container test skipped");
        // A directory of the segment's own: the container sees it, and nothing else of the host's /dev/shm.
        this.directory = Files.createTempDirectory(Path.of("/dev/shm"), "rapace-container-it-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        this.segment = this.directory.resolve("rapace-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current()
                .nextLong()) + ".shm");
    }

    @AfterEach
    void nothingLeft() throws IOException {
        if (this.directory == null) {
            return;
        }
        assertThat(this.segment).doesNotExist();
        Files.delete(this.directory);
    }

    @Test
    void thePluginExitsWhenItsHostClosesAndTheContainerIsRemoved() {
        ShmTransport transport = ShmTransport.create(this.segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession host = RpcSession.start(transport, SessionOptions.defaults());
        String id;
        try (RapacePluginContainer container = new RapacePluginContainer(SamplePluginContainerIT.IMAGE)
                .withSegment(this.segment)) {
            container.start();
            id = container.getContainerId();
            await().atMost(Duration.ofSeconds(60)).until(() -> transport.peerHeartbeatAgeNanos() >= 0);
            Calculator calculator = RapaceClients.create(Calculator.class, host, ClientOptions.defaults());
            assertThat(calculator.add(20, 22)).isEqualTo(42);
            ProcessHandle plugin = container.hostProcess().orElseThrow();

            host.close(Duration.ofSeconds(5));
            transport.removeSegmentFile();

            // v1.0 has no goodbye frame: the plugin sees the heartbeat stop and the file gone, and exits 0.
            assertThat(container.awaitExit(Duration.ofSeconds(30))).contains(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !plugin.isAlive());
        }
        assertThatThrownBy(() -> DockerClientFactory.lazyClient().inspectContainerCmd(id).exec())
            .isInstanceOf(NotFoundException.class);
    }

    @Test
    void aHostThatWatchesTheContainersProcessLearnsAtOnceThatThePluginDied() {
        ShmTransport transport = ShmTransport.create(this.segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession host = RpcSession.start(transport, SessionOptions.defaults());
        try (RapacePluginContainer container = new RapacePluginContainer(SamplePluginContainerIT.IMAGE)
                .withSegment(this.segment)) {
            container.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> transport.peerHeartbeatAgeNanos() >= 0);
            assertThat(container.watchFrom(host)).isTrue();
            Calculator calculator = RapaceClients.create(Calculator.class, host,
                    ClientOptions.defaults().withTimeout(Duration.ofSeconds(2)));
            assertThat(calculator.add(1, 1)).isEqualTo(2);

            container.getDockerClient().killContainerCmd(container.getContainerId()).exec();

            // The heartbeat alone would tell only after peerGoneAfter (30 s); the watch tells when the process exits.
            await().atMost(Duration.ofSeconds(15)).until(() -> diedSeenFromTheHost(calculator));
        }
        finally {
            host.close(Duration.ZERO);
            transport.removeSegmentFile();
        }
    }

    private static boolean diedSeenFromTheHost(Calculator calculator) {
        try {
            calculator.add(1, 1);
            return false;
        }
        catch (RapaceException ex) {
            return ex.errorCode() == ErrorCode.PEER_DIED && ex.getMessage().contains("seen from the host) exited");
        }
    }

    @Test
    void aContainerOfAnotherUserCannotOpenTheSegment() {
        ShmTransport transport = ShmTransport.create(this.segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession host = RpcSession.start(transport, SessionOptions.defaults());
        try (RapacePluginContainer container = new RapacePluginContainer(SamplePluginContainerIT.IMAGE)
                .withSegment(this.segment).withCreateContainerCmdModifier((cmd) -> cmd.withUser("4242:4242"))
                .withStartupCheckStrategy(new StartedIsEnough())) {
            container.start();
            assertThat(container.awaitExit(Duration.ofSeconds(60))).contains(1);
            assertThat(container.getLogs()).contains("permission denied", this.segment.toString());
            assertThat(transport.peerHeartbeatAgeNanos()).isNegative();
        }
        finally {
            host.close(Duration.ZERO);
            transport.removeSegmentFile();
        }
    }

    @Test
    void aProductionHostRunsThePluginWithDockerRunAndLimits() throws Exception {
        Assumptions.assumeTrue(dockerCommandWorks(), "the docker command cannot reach an engine: test skipped");
        String name = "rapace-plugin-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        String user = Files.getAttribute(this.directory, "unix:uid") + ":" + Files.getAttribute(this.directory,
                "unix:gid");
        String shared = this.directory.toString();
        this.log = Files.createDirectories(Path.of("target", "rapace-plugin-logs")).resolve(name + ".log");
        RapaceHost host = RapaceHost.builder()
            .path(this.segment)                     // in a directory of its own, mounted at the same path
            .command("docker", "run", "--rm", "--name", name, "--network=none", "--user", user,
                    "--volume", shared + ":" + shared, "--cpus=1", "--memory=512m",
                    SamplePluginContainerIT.IMAGE)
            .pathArgumentPrefix("--shm-path=")
            .redirectOutput(Redirect.appendTo(this.log.toFile()))
            .redirectError(Redirect.appendTo(this.log.toFile()))
            .start();
        Process dockerRun = host.process();
        try {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            assertThat(host.client(Calculator.class).add(1, 2)).isEqualTo(3);
            assertThat(host.client(Hasher.class).sha256(new byte[0])).hasSize(32);
        }
        finally {
            // SIGTERM to `docker run`, which passes it on to the plugin: it drains and exits 143.
            host.close();
        }
        assertThat(dockerRun.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(dockerRun.exitValue()).isEqualTo(143);
        // --rm: the container is gone once docker run has returned.
        assertThatThrownBy(() -> DockerClientFactory.lazyClient().inspectContainerCmd(name).exec())
            .isInstanceOf(NotFoundException.class);
        assertThat(List.of(this.segment)).allMatch((path) -> !Files.exists(path));
    }

    private static boolean dockerCommandWorks() throws InterruptedException {
        try {
            Process info = new ProcessBuilder("docker", "info").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            return info.waitFor(30, TimeUnit.SECONDS) && info.exitValue() == 0;
        }
        catch (IOException noDockerCommand) {
            return false;
        }
    }

    /** A container that is expected to exit at once (non-zero) still counts as started. */
    private static final class StartedIsEnough extends StartupCheckStrategy {

        @Override
        public StartupStatus checkStartupState(com.github.dockerjava.api.DockerClient client, String containerId) {
            return StartupStatus.SUCCESSFUL;
        }
    }
}
