package io.rapace.spring.boot.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.testsupport.DefaultSigint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A plugin that dies of a signal the application also gets (a Ctrl-C to the terminal's process group, a service
 * manager's SIGTERM to the whole service) can die before the application's JVM has run its shutdown hooks: the
 * supervisor waits a moment for that notice before it calls the end a failure and restarts. Real plugin processes.
 */
class SharedSignalTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    /** Later than the plugin's end than a JVM under load takes to run its shutdown hooks after the same signal. */
    private static final long HOOKS_LATE_MILLIS = 300;

    @Test
    void aPluginThatDiesOfTheCtrlCBeforeTheApplicationNoticesItsShutdownIsNeitherAFailureNorRestarted()
            throws Exception {
        // SIGINT at its default in the plugin, also under a runner in the background (which passes it on ignored)
        List<String> command = new ArrayList<>(DefaultSigint.prefix());
        command.addAll(TestPluginMain.command());
        PluginContexts.runner("adder", "serve", command).run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            assertThat(context.getBean(Adder.class).add(2, 3)).isEqualTo(5);
            ProcessHandle plugin = runningPlugin(supervisor);
            signal("-INT", plugin);
            assertThat(plugin.onExit().get(PATIENCE.toSeconds(), TimeUnit.SECONDS).isAlive()).isFalse();
            Thread.sleep(HOOKS_LATE_MILLIS);  // the application's own hooks, late on a loaded machine
            supervisor.applicationShuttingDown();
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.STOPPED);
            PluginStatus status = supervisor.status();
            assertThat(status.incarnation()).as("no incarnation launched after the signal").isEqualTo(1);
            assertThat(status.restarts()).isZero();
            assertThat(status.lastFailure()).isNull();
            assertThat(PluginSupervisionTest.leftoverChildren()).isEmpty();
        });
    }

    @Test
    void aPluginThatDiesOfASigtermWhileTheApplicationGoesOnIsRestartedAfterTheGraceAsAFailure() {
        PluginContexts.runner("adder", "serve").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.add(2, 3)).isEqualTo(5);
            ProcessHandle plugin = runningPlugin(supervisor);
            assertThat(plugin.destroy()).isTrue();  // SIGTERM
            await().atMost(PATIENCE).until(() -> supervisor.status().incarnation() == 2
                    && supervisor.status().state() == PluginState.RUNNING);
            PluginStatus status = supervisor.status();
            assertThat(status.restarts()).isEqualTo(1);
            assertThat(status.lastFailure()).isNotNull();
            assertThat(status.lastFailure().exitCode()).isEqualTo(143);
            assertThat(status.lastFailure().reason()).contains("incarnation 1").contains("143 (SIGTERM)");
            assertThat(adder.add(4, 5)).isEqualTo(9);
        });
    }

    private static ProcessHandle runningPlugin(PluginSupervisor supervisor) {
        PluginStatus.Running running = supervisor.status().running();
        assertThat(running).as("a running incarnation").isNotNull();
        return ProcessHandle.of(running.pid()).orElseThrow();
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
