package io.rapace.spring.boot.host;

import java.io.IOException;
import java.time.Duration;

import io.rapace.transport.shm.PeerState;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plugin stopped with SIGSTOP (its process alive, its heartbeat standing still) is left alone for its stall
 * timeout, then killed and restarted as after a failure, the reason kept. The limit here is short (5 s); the check
 * that it is not killed early waits for most of it.
 */
class StalledPluginTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aStoppedPluginIsKilledAfterItsStallTimeoutAndNotBeforeThenRestartedWithTheReasonKept() {
        PluginContexts.runner("adder", "serve", "rapace.plugins.adder.liveness-timeout=1s",
                "rapace.plugins.adder.stall-timeout=" + STALL_TIMEOUT.toSeconds() + "s").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.add(2, 3)).isEqualTo(5);
            PluginStatus.Running first = supervisor.status().running();
            assertThat(first).isNotNull();

            signal("STOP", first.pid());
            long stopped = System.nanoTime();
            // Stalled once its heartbeat stood still for the liveness timeout; its process lives on, untouched.
            await().atMost(PATIENCE).until(() -> peerState(supervisor) == PeerState.STALLED);
            assertThat(health(context).getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            Duration beforeTheLimit = STALL_TIMEOUT.minus(Duration.ofSeconds(1))
                .minus(Duration.ofNanos(System.nanoTime() - stopped));
            if (beforeTheLimit.isPositive()) {
                await().during(beforeTheLimit).atMost(beforeTheLimit.plusSeconds(5)).until(() -> {
                    PluginStatus status = supervisor.status();
                    return status.incarnation() == 1 && status.state() == PluginState.RUNNING
                            && ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false);
                });
            }
            assertThat(System.nanoTime() - stopped).as("still there for most of the stall timeout")
                .isGreaterThan(STALL_TIMEOUT.minusSeconds(1).toNanos());

            await().atMost(PATIENCE).until(() -> supervisor.status().incarnation() == 2
                    && supervisor.status().state() == PluginState.RUNNING);
            assertThat(adder.add(3, 4)).isEqualTo(7);
            PluginStatus status = supervisor.status();
            assertThat(status.restarts()).isEqualTo(1);
            assertThat(status.lastFailure()).isNotNull();
            assertThat(status.lastFailure().reason()).contains("incarnation 1 (pid " + first.pid() + ") stalled for 5 s")
                .contains("killed (SIGKILL)");
            assertThat(status.lastFailure().exitCode()).isEqualTo(137);
            assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(first.segment()).doesNotExist();
            Health health = health(context);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat((String) health.getDetails().get("lastReason")).contains("stalled for 5 s");
        });
    }

    @Test
    void aStalledPluginWithRestartNeverIsKilledAndGivenUpWithTheReason() {
        PluginContexts.runner("adder", "serve", "rapace.plugins.adder.liveness-timeout=1s",
                "rapace.plugins.adder.stall-timeout=2s", "rapace.plugins.adder.restart=never").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            long pid = supervisor.status().running().pid();
            signal("STOP", pid);
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.FAILED);
            assertThat(supervisor.status().lastFailure().reason()).contains("stalled for 2 s").contains("restart=never");
            assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(PluginSupervisionTest.leftoverChildren()).isEmpty();
        });
    }

    private static PeerState peerState(PluginSupervisor supervisor) {
        PluginStatus.Running running = supervisor.status().running();
        return running == null ? null : running.peerState();
    }

    private static Health health(org.springframework.context.ApplicationContext context) {
        return PluginSupervisionTest.health(context.getBean(CompositeHealthContributor.class), "adder");
    }

    /** {@code kill -SIGNAL pid}: Java cannot send SIGSTOP itself. */
    static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, pid).isZero();
    }
}
