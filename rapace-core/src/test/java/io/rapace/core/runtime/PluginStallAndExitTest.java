package io.rapace.core.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.MethodIds;
import io.rapace.core.session.SessionState;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.PeerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Stall is not death, with real processes: a plugin stopped (SIGSTOP) beyond the liveness timeout is stalled and
 * carries on when continued; a plugin killed with -9 fails every pending call at once with PEER_DIED naming its exit
 * code; a plugin whose host process dies ends at once saying so.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PluginStallAndExitTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private static final Duration LIVENESS = Duration.ofSeconds(1);

    @Test
    void aPluginStoppedLongerThanTheLivenessTimeoutIsStalledAndCarriesOnWhenContinued() throws Exception {
        try (RapaceHost host = RapaceHost.builder()
                .command(ChildJvm.command(CalculatorPluginMain.class, "-Drapace.test.liveness=" + LIVENESS))
                .services((HostMath) x -> 2 * x).livenessTimeout(LIVENESS).heartbeatInterval(Duration.ofMillis(100))
                .callTimeout(Duration.ofSeconds(60)).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            Calculator calculator = host.client(Calculator.class);
            assertThat(calculator.add(1, 2)).isEqualTo(3);
            long pid = host.process().pid();

            signal("STOP", pid);
            try {
                await().atMost(Duration.ofSeconds(20)).until(() -> host.session().peerState() == PeerState.STALLED);
                // A call fails by its own deadline; the session stays open.
                Calculator impatient = host.client(Calculator.class, new ClientOptions(Duration.ofMillis(500)));
                RapaceException late = catchThrowableOfType(RapaceException.class, () -> impatient.add(2, 2));
                assertThat(late.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
                // Stopped for 4 s in all, four liveness windows: the session stays open, the peer stalled, throughout.
                await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(20)).until(() ->
                        host.session().state() == SessionState.OPEN && host.session().peerState() == PeerState.STALLED);
                assertThat(host.session().state()).isEqualTo(SessionState.OPEN);
                assertThat(host.session().peerState()).isEqualTo(PeerState.STALLED);
            }
            finally {
                signal("CONT", pid);
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> host.session().peerState() == PeerState.ALIVE);
            assertThat(calculator.add(40, 2)).isEqualTo(42);
            assertThat(calculator.viaHost(20)).as("the plugin's own calls to the host work too").isEqualTo(41);
            // The plugin did not take the host for dead: it stays (two liveness windows), and its session keeps serving.
            await().during(LIVENESS.multipliedBy(2)).atMost(LIVENESS.multipliedBy(2).plusSeconds(20))
                    .until(() -> host.process().isAlive());
            assertThat(host.process().isAlive()).isTrue();
            assertThat(calculator.add(1, 1)).isEqualTo(2);
            assertThat(host.session().state()).isEqualTo(SessionState.OPEN);
        }
    }

    @Test
    void killingThePluginFailsPendingTypedAndRawCallsWithPeerDiedNamingTheExitCode() {
        // Default liveness (3 s) and peerGoneAfter (30 s): only the process exit can end these calls early.
        try (RapaceHost host = RapaceHost.builder().command(ChildJvm.command(CalculatorPluginMain.class))
                .callTimeout(Duration.ofSeconds(60)).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            Calculator calculator = host.client(Calculator.class);
            assertThat(calculator.add(1, 2)).isEqualTo(3);

            CompletableFuture<String> typed = calculator.slowAsync(120_000);
            byte[] twoMinutes = Codecs.encode(Codecs.of(Long.class), 120_000L);
            CompletableFuture<byte[]> raw = host.session().call(MethodIds.methodId("Calculator", "slow"), twoMinutes,
                    Duration.ofSeconds(60));
            CompletableFuture<byte[]> rawBlocking = CompletableFuture.supplyAsync(() -> host.session()
                    .callBlocking(MethodIds.methodId("Calculator", "slow"), twoMinutes, Duration.ofSeconds(60)));
            await().atMost(Duration.ofSeconds(30)).until(() -> host.session().pendingCalls() == 3);

            host.process().destroyForcibly();

            // Well before the calls' own 60 s deadline, and not by the liveness timeout: the message names the exit.
            await().atMost(Duration.ofSeconds(30)).until(() -> typed.isDone() && raw.isDone() && rawBlocking.isDone());
            for (CompletableFuture<?> call : java.util.List.of(typed, raw, rawBlocking)) {
                assertThat(catchThrowable(call::join)).cause().isInstanceOfSatisfying(RapaceException.class, died -> {
                    assertThat(died.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
                    assertThat(died.getMessage()).contains("exited with code 137");
                });
            }
            assertThat(host.session().state()).isEqualTo(SessionState.PEER_DIED);
            assertThat(host.session().peerState()).isEqualTo(PeerState.GONE);
            RapaceException after = catchThrowableOfType(RapaceException.class,
                    () -> host.session().callBlocking(MethodIds.methodId("Calculator", "add"), new byte[] {2, 4}, null));
            assertThat(after.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
            assertThat(after.getMessage()).contains("exited with code 137");
        }
    }

    @Test
    void killingThePluginMidStreamEndsTheStreamWithPeerDiedAfterTheItemsThatArrived() {
        try (RapaceHost host = RapaceHost.builder().command(ChildJvm.command(CalculatorPluginMain.class))
                .callTimeout(Duration.ofSeconds(60)).start()) {
            host.awaitPluginStarted(Duration.ofSeconds(60));
            Calculator calculator = host.client(Calculator.class);
            AtomicLong next = new AtomicLong();
            AtomicReference<Throwable> ended = new AtomicReference<>();
            AtomicBoolean inOrder = new AtomicBoolean(true);
            calculator.range(Integer.MAX_VALUE).subscribe(item -> {
                if (item != next.getAndIncrement()) {
                    inOrder.set(false);
                }
            }, ended::set);
            await().atMost(Duration.ofSeconds(30)).until(() -> next.get() > 10_000);

            host.process().destroyForcibly();

            await().atMost(Duration.ofSeconds(30)).until(() -> ended.get() != null);
            assertThat(ended.get()).isInstanceOfSatisfying(RapaceException.class, died -> {
                assertThat(died.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
                assertThat(died.getMessage()).contains("exited with code 137");
            });
            assertThat(inOrder.get()).as("every item before the end arrived once, in order").isTrue();
            assertThat(host.session().pendingCalls()).isZero();
        }
    }

    @Test
    void aPluginWhoseHostProcessDiesEndsAtOnceSayingTheHostDied(@TempDir Path dir) throws Exception {
        Path errors = dir.resolve("host-and-plugin.err");
        Process hostJvm = new ProcessBuilder(ChildJvm.command(HostWithPluginMain.class))
                .redirectError(Redirect.to(errors.toFile())).start();
        long pluginPid = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(hostJvm.getInputStream(), StandardCharsets.UTF_8))) {
            pluginPid = Long.parseLong(out.readLine().trim());
            ProcessHandle plugin = ProcessHandle.of(pluginPid).orElseThrow();
            assertThat(plugin.parent().map(ProcessHandle::pid)).contains(hostJvm.pid());

            hostJvm.destroyForcibly().waitFor();

            // The plugin's liveness (3 s) only stalls it and its peerGoneAfter is 30 s: ending sooner proves the
            // watch on the host process; 25 s leaves room for a loaded machine.
            await().atMost(Duration.ofSeconds(25)).until(() -> !plugin.isAlive());
            assertThat(Files.readString(errors)).contains("the host process " + hostJvm.pid() + " exited");
        }
        finally {
            hostJvm.destroyForcibly().waitFor();
            if (pluginPid > 0) {
                ProcessHandle.of(pluginPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -" + name + " " + pid).isZero();
    }
}
