package io.rapace.core.runtime;

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
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceRuntimeException.Kind;
import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** A peer process dies; the survivor notices within the liveness window (1 s here, checked generously). */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PeerDeathTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private static final Duration LIVENESS = Duration.ofSeconds(1);

    @Test
    void killingThePluginMidCallFailsTheCallWithPeerDied() {
        try (RapaceHost host = RapaceHost.builder()
                .command(ChildJvm.command(CalculatorPluginMain.class, "-Drapace.test.liveness=" + LIVENESS))
                .livenessTimeout(LIVENESS).heartbeatInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(60)).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            Calculator calculator = host.client(Calculator.class);
            assertThat(calculator.add(1, 2)).isEqualTo(3);

            CompletableFuture<String> slow = calculator.slowAsync(120_000);
            host.process().destroyForcibly();

            // Liveness is 1 s; 30 s leaves room for a loaded machine but is far below the 60 s call timeout.
            await().atMost(Duration.ofSeconds(30)).until(slow::isDone);
            assertThat(catchThrowable(slow::join)).cause().isInstanceOfSatisfying(RapaceException.class,
                    died -> assertThat(died.errorCode()).isEqualTo(ErrorCode.PEER_DIED));

            RapaceException after = catchThrowableOfType(RapaceException.class, () -> calculator.add(1, 1));
            assertThat(after.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
            assertThat(after.getMessage()).contains("exited with code");
        }
    }

    @Test
    void aPluginThatExitsBeforeOpeningFailsFast() {
        try (RapaceHost host = RapaceHost.builder().command(ChildJvm.command(ExitingMain.class))
                .redirectOutput(Redirect.DISCARD).start()) {
            RapaceRuntimeException ex = catchThrowableOfType(RapaceRuntimeException.class,
                    () -> host.awaitPluginStarted(Duration.ofSeconds(60)));
            assertThat(ex.kind()).isEqualTo(Kind.LAUNCH_FAILED);
            assertThat(ex.getMessage()).contains("exited with code 3").contains(host.path().toString());
            RapaceException call = catchThrowableOfType(RapaceException.class,
                    () -> host.client(Calculator.class).add(1, 2));
            assertThat(call.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
        }
    }

    @Test
    void killingTheHostEndsThePluginRunWithATransportFailure(@TempDir Path dir) throws Exception {
        Path segment = dir.resolve("host-death.shm");
        List<String> command = new ArrayList<>(ChildJvm.command(HostMain.class));
        command.add(segment.toString());
        Process hostProcess = new ProcessBuilder(command).redirectError(Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(hostProcess.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("READY");

            // The host is this JVM's child, not its ancestor: its process is not watched, so the plugin takes it for
            // gone once its heartbeat stood still for peerGoneAfter.
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
            assertThat(run).isNotDone();
            hostProcess.destroyForcibly();

            Throwable failure = run.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOfSatisfying(RapaceRuntimeException.class, ex -> {
                assertThat(ex.kind()).isEqualTo(Kind.TRANSPORT);
                assertThat(ex.getMessage()).contains(segment.toString());
            });
        }
        finally {
            hostProcess.destroyForcibly().waitFor();
            Files.deleteIfExists(segment);
        }
    }

    /** A "plugin" that exits at once with code 3. */
    public static final class ExitingMain {
        private ExitingMain() {
        }

        public static void main(String[] args) {
            System.exit(3);
        }
    }
}
