package io.rapace.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.operations.HealthComponent;
import io.rapace.core.operations.PluginHealth;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.service.RapaceService;
import io.rapace.demo.PluginHarness.PathStyle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample plugin, launched as a real process by a host in this JVM. One plugin serves the
 * service and metrics tests; the path, health and exit tests launch their own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SamplePluginIT {

    private PluginHarness plugin;

    @BeforeAll
    void launchSharedPlugin(@TempDir Path directory) throws Exception {
        this.plugin = PluginHarness.launch(directory, PathStyle.SHM_PATH_OPTION);
        this.plugin.awaitRapaceUp();
    }

    @AfterAll
    void stopSharedPlugin() throws Exception {
        if (this.plugin != null) {
            this.plugin.close();
        }
    }

    @Test
    void calculatorAddsAndReportsOverflow() {
        Calculator calculator = this.plugin.client(Calculator.class);
        assertThat(calculator.add(2, 3)).isEqualTo(5);
        assertThat(calculator.add(-7, 3)).isEqualTo(-4);
        assertThatExceptionOfType(RapaceException.class).isThrownBy(() -> calculator.add(Integer.MAX_VALUE, 1))
            .satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.OUT_OF_RANGE))
            .withMessageContaining("overflows i32");
    }

    @Test
    void calculatorStreamsTheRange() {
        Calculator calculator = this.plugin.client(Calculator.class);
        assertThat(calculator.range(5).collectList().block(PluginHarness.PATIENCE)).containsExactly(0, 1, 2, 3, 4);
        assertThat(calculator.range(0).collectList().block(PluginHarness.PATIENCE)).isEmpty();
        assertThat(calculator.range(1000).count().block(PluginHarness.PATIENCE)).isEqualTo(1000);
    }

    @Test
    void hasherDigestsSmallAndLargeInputs() throws Exception {
        Hasher hasher = this.plugin.client(Hasher.class);
        byte[] abc = "abc".getBytes(StandardCharsets.UTF_8);
        assertThat(hasher.sha256(abc)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(abc));
        byte[] large = new byte[50_000];
        new Random(42).nextBytes(large);
        assertThat(hasher.sha256(large)).hasSize(32).isEqualTo(MessageDigest.getInstance("SHA-256").digest(large));
        assertThat(hasher.sha256(new byte[0])).isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[0]));
    }

    @Test
    void unknownMethodIsUnimplemented() {
        CalculatorWithSubtract calculator = this.plugin.client(CalculatorWithSubtract.class);
        assertThatExceptionOfType(RapaceException.class).isThrownBy(() -> calculator.subtract(5, 3))
            .satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNIMPLEMENTED));
    }

    @Test
    void theHostReadsHealthAndMetersOverTheSession() {
        RapaceOperations operations = this.plugin.client(RapaceOperations.class);
        PluginHealth health = operations.health();
        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.components()).extracting(HealthComponent::name).contains("rapace", "diskSpace");
        assertThat(health.component("rapace")).hasValueSatisfying((rapace) -> {
            assertThat(rapace.status()).isEqualTo("UP");
            assertThat(rapace.details()).containsEntry("path", this.plugin.segment().toString())
                .containsEntry("state", "OPEN")
                .containsKeys("peerHeartbeatAge", "ringOccupancy", "slotsInUse", "slotCount");
        });
        assertThat(operations.metrics("rapace.slots.count")).singleElement()
            .satisfies((reading) -> assertThat(reading.value()).isEqualTo(128));
        assertThat(operations.metrics("jvm.")).isNotEmpty();
    }

    @Test
    void healthIsUpWithDetails() {
        Map<String, Object> health = this.plugin.actuator().health();
        assertThat(health).containsEntry("status", "UP");
        @SuppressWarnings("unchecked")
        Map<String, Object> rapace = (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("rapace");
        assertThat(rapace).containsEntry("status", "UP");
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) rapace.get("details");
        assertThat(details).containsEntry("path", this.plugin.segment().toString())
            .containsEntry("state", "OPEN")
            .containsKeys("peerHeartbeatAge", "ringOccupancy", "slotsInUse", "slotCount");
    }

    @Test
    void metricsMoveWithTheTraffic() {
        PluginActuator actuator = this.plugin.actuator();
        assertThat(actuator.metricNames()).contains("rapace.ring.occupancy", "rapace.ring.capacity",
                "rapace.slots.in.use", "rapace.slots.count", "rapace.peer.heartbeat.age", "rapace.frames",
                "rapace.bytes", "rapace.frames.invalid");
        assertThat(actuator.measurement("rapace.ring.capacity", "VALUE")).isEqualTo(256);
        assertThat(actuator.measurement("rapace.slots.count", "VALUE")).isEqualTo(128);
        double framesBefore = actuator.measurement("rapace.frames", "COUNT", "direction:receive");
        double bytesBefore = actuator.measurement("rapace.bytes", "COUNT", "direction:receive");
        double addsBefore = count(actuator, "rapace.server.calls", "service:Calculator", "method:add", "outcome:OK");
        Calculator calculator = this.plugin.client(Calculator.class);
        for (int i = 0; i < 100; i++) {
            assertThat(calculator.add(i, 1)).isEqualTo(i + 1);
        }
        await().atMost(PluginHarness.PATIENCE).untilAsserted(() -> {
            assertThat(actuator.measurement("rapace.frames", "COUNT", "direction:receive"))
                .isGreaterThanOrEqualTo(framesBefore + 100);
            assertThat(actuator.measurement("rapace.frames", "COUNT", "direction:send")).isGreaterThanOrEqualTo(100);
            assertThat(actuator.measurement("rapace.bytes", "COUNT", "direction:receive"))
                .isGreaterThan(bytesBefore);
            assertThat(count(actuator, "rapace.server.calls", "service:Calculator", "method:add", "outcome:OK"))
                .isEqualTo(addsBefore + 100);
        });
        assertThat(actuator.measurement("rapace.frames.invalid", "COUNT")).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = PathStyle.class, names = { "SPRING_PROPERTY", "POSITIONAL" })
    void acceptsEveryWayOfPassingThePath(PathStyle style, @TempDir Path directory) throws Exception {
        try (PluginHarness other = PluginHarness.launch(directory, style)) {
            assertThat(other.client(Calculator.class).add(20, 22)).as(other::log).isEqualTo(42);
        }
    }

    @Test
    void healthGoesDownWhenTheHostStopsHeartbeating(@TempDir Path directory) throws Exception {
        try (PluginHarness other = launchThenStopHeartbeating(directory, "--rapace.exit-on-host-exit=false")) {
            await().atMost(PluginHarness.PATIENCE)
                .untilAsserted(() -> assertThat(other.actuator().componentStatus("rapace")).isEqualTo("DOWN"));
            assertThat(other.process().isAlive()).as("the plugin keeps running with exit-on-host-exit=false")
                .isTrue();
        }
    }

    @Test
    void pluginExitsWithNonZeroCodeWhenTheHostDies(@TempDir Path directory) throws Exception {
        try (PluginHarness other = launchThenStopHeartbeating(directory)) {
            assertThat(other.awaitExit()).as(other::log).isEqualTo(1);
        }
    }

    @Test
    void pluginExitsWithZeroWhenTheHostClosesAndRemovesTheSegment(@TempDir Path directory) throws Exception {
        try (PluginHarness other = launchThenStopHeartbeating(directory)) {
            Files.delete(other.segment());
            assertThat(other.awaitExit()).as(other::log).isZero();
        }
    }

    @Test
    void pluginExitsWith143OnSigterm(@TempDir Path directory) throws Exception {
        try (PluginHarness other = PluginHarness.launch(directory, PathStyle.SHM_PATH_OPTION)) {
            other.awaitRapaceUp();
            assertThat(other.client(Calculator.class).add(1, 2)).isEqualTo(3);
            other.process().toHandle().destroy(); // SIGTERM, as a host stopping its plugin sends
            assertThat(other.awaitExit()).as(other::log).isEqualTo(143);
            assertThat(other.log()).as("a graceful close").contains("closing the session");
        }
    }

    @Test
    void segmentThatCannotBeOpenedPrintsAFailureAnalysisNotAStackTrace(@TempDir Path directory) throws Exception {
        Path missing = directory.resolve("absent.shm");
        Path log = directory.resolve("plugin.log");
        Process process = new ProcessBuilder(Executables.javaBinary(), "-XX:TieredStopAtLevel=1", "-jar",
                PluginHarness.pluginJar(), "--shm-path=" + missing, "--rapace.shm.wait-timeout=200ms")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try {
            assertThat(process.waitFor(PluginHarness.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isNotZero();
            assertThat(output).contains("APPLICATION FAILED TO START", "Description:", "Action:", missing.toString(),
                    "Start the plugin from its host")
                .doesNotContain("at io.rapace");
        }
        finally {
            process.destroyForcibly();
        }
    }

    /**
     * Launches a plugin with a short liveness timeout (and {@code arguments}), waits until its session is UP,
     * then stops the host's heartbeat.
     */
    private static PluginHarness launchThenStopHeartbeating(Path directory, String... arguments) throws Exception {
        String[] all = Stream.concat(Stream.of("--rapace.liveness-timeout=1s"), Stream.of(arguments))
            .toArray(String[]::new);
        PluginHarness plugin = PluginHarness.launch(directory, PathStyle.SHM_PATH_OPTION, all);
        try {
            plugin.awaitRapaceUp();
            plugin.stopHeartbeating();
            return plugin;
        }
        catch (RuntimeException | Error ex) {
            plugin.close();
            throw ex;
        }
    }

    private static double count(PluginActuator actuator, String name, String... tags) {
        double value = actuator.measurement(name, "COUNT", tags);
        return Double.isNaN(value) ? 0 : value;
    }

    /** A newer view of Calculator with a method the sample plugin does not have. */
    @RapaceService("Calculator")
    public interface CalculatorWithSubtract {

        /** Not served by the sample plugin. */
        int subtract(int a, int b);
    }

}
