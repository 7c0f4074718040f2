package io.rapace.core.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.PeerRole;
import io.rapace.transport.shm.ShmConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class RapacePluginTest {

    @Test
    void noPathArgumentIsMissingArgument() {
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> RapacePlugin.run(new String[] {"--verbose"}, new CalculatorImpl()));
        assertThat(ex.kind()).isEqualTo(Kind.MISSING_ARGUMENT);
    }

    @Test
    void emptyPathIsBadArgument() {
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> RapacePlugin.run(new String[] {"--shm-path="}, new CalculatorImpl()));
        assertThat(ex.kind()).isEqualTo(Kind.BAD_ARGUMENT);
    }

    @Test
    void absentFileIsFileNotCreatedNamingPathAndTimeout(@TempDir Path dir) {
        Path missing = dir.resolve("never.shm");
        RapacePlugin plugin = RapacePlugin.builder().services(new CalculatorImpl())
                .openTimeout(Duration.ofMillis(300)).build();
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> plugin.run(new String[] {missing.toString()}));
        assertThat(ex.kind()).isEqualTo(Kind.FILE_NOT_CREATED);
        assertThat(ex.getMessage()).contains(missing.toString()).contains("PT0.3S");
    }

    @Test
    void aFileThatIsNotASegmentIsOpenFailed(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.shm");
        Files.write(junk, "NOTRAPACE".getBytes(StandardCharsets.US_ASCII));
        RapacePlugin plugin = RapacePlugin.builder().openTimeout(Duration.ofMillis(300)).build();
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> plugin.run(new String[] {"--addr=" + junk}));
        assertThat(ex.kind()).isIn(Kind.OPEN_FAILED, Kind.FILE_NOT_CREATED);
        assertThat(ex.getMessage()).contains(junk.toString());
    }

    @Test
    void thePluginFollowsTheSegmentsGeometryAndUsesThePluginRole(@TempDir Path dir) {
        Path segment = dir.resolve("reference.shm");
        try (RpcSession host = SegmentConnector.create(segment, ShmConfig.REFERENCE_DEFAULT,
                ConnectionSettings.DEFAULTS, Dispatcher.none());
                RapaceConnection plugin = RapacePlugin.builder().build().connect(segment)) {
            assertThat(plugin.session().role()).isEqualTo(PeerRole.PLUGIN);
            assertThat(plugin.session().transport().config()).isEqualTo(ShmConfig.REFERENCE_DEFAULT);
            assertThat(host.role()).isEqualTo(PeerRole.HOST);
        }
    }

    @Test
    void aPinnedGeometryThatDiffersIsOpenFailedNamingBoth(@TempDir Path dir) {
        Path segment = dir.resolve("reference.shm");
        try (RpcSession _ = SegmentConnector.create(segment, ShmConfig.REFERENCE_DEFAULT,
                ConnectionSettings.DEFAULTS, Dispatcher.none())) {
            RapacePlugin plugin = RapacePlugin.builder().expectedConfig(ShmConfig.PLUGIN_DEFAULT).build();
            RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                    () -> plugin.connect(segment));
            assertThat(ex.kind()).isEqualTo(Kind.OPEN_FAILED);
            assertThat(ex.getMessage()).contains(segment.toString()).contains("65536").contains("4096");
        }
    }

    @Test
    void anUnservableObjectIsAnRpcFailure() {
        RapacePlugin plugin = RapacePlugin.builder().services(new Object()).build();
        RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                () -> plugin.connect(Path.of("/nonexistent/x.shm")));
        assertThat(ex.kind()).isEqualTo(Kind.RPC);
        assertThat(ex.getMessage()).contains("java.lang.Object");
    }

    @Test
    void aLivenessTimeoutThatWorkedBesideTheEarlierDefaultHeartbeatStillDoes(@TempDir Path dir) {
        // 300 ms was valid beside the 250 ms default heartbeat of earlier versions; the default is now 400 ms, and the
        // transport takes half the timeout as the heartbeat instead of refusing the options.
        Path segment = dir.resolve("short-liveness.shm");
        Duration timeout = Duration.ofMillis(300);
        try (RpcSession host = SegmentConnector.create(segment, ShmConfig.REFERENCE_DEFAULT,
                ConnectionSettings.DEFAULTS.withLivenessTimeout(timeout), Dispatcher.none());
                RapaceConnection plugin = RapacePlugin.builder().livenessTimeout(timeout).build().connect(segment)) {
            assertThat(plugin.session().transport().options().heartbeatInterval()).isEqualTo(Duration.ofMillis(150));
            assertThat(host.transport().options().heartbeatInterval()).isEqualTo(Duration.ofMillis(150));
        }
    }

    @Test
    void badOptionsAreRejectedNamingTheValue() {
        assertThatThrownBy(() -> RapacePlugin.builder().openTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openTimeout");
        assertThatThrownBy(() -> RapacePlugin.builder().livenessTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("livenessTimeout");
    }
}
