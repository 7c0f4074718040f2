package io.rapace.spring.boot.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.service.RapaceService;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Supervision with real plugin processes: kill -9 under load, a crash loop, a plugin that never starts. */
class PluginSupervisionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void aPluginKilledUnderLoadIsRestartedAndEveryCallerGetsAnAnswerOrAClearError() {
        PluginContexts.runner("adder", "serve").run((context) -> {
            RapacePlugins plugins = context.getBean(RapacePlugins.class);
            PluginSupervisor supervisor = plugins.supervisor("adder");
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.add(2, 3)).isEqualTo(5);
            PluginStatus.Running first = supervisor.status().running();
            assertThat(first).isNotNull();

            AtomicBoolean go = new AtomicBoolean(true);
            AtomicLong killedAt = new AtomicLong();
            AtomicLong firstGoodAfterKill = new AtomicLong();
            AtomicInteger answered = new AtomicInteger();
            AtomicInteger failedAfterKill = new AtomicInteger();
            Map<ErrorCode, Integer> failures = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<Throwable> unclear = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                callers.add(Thread.ofPlatform().name("caller-" + t).start(() -> {
                    int i = 0;
                    while (go.get()) {
                        long started = System.nanoTime();
                        try {
                            int sum = adder.add(i, offset);
                            if (sum != i + offset) {
                                unclear.add(new AssertionError("wrong sum " + sum));
                            }
                            answered.incrementAndGet();
                            long kill = killedAt.get();
                            if (kill != 0 && started - kill > 0) {
                                firstGoodAfterKill.compareAndSet(0, System.nanoTime());
                            }
                        }
                        catch (RapaceException ex) {
                            failures.merge(ex.errorCode(), 1, Integer::sum);
                            if (killedAt.get() != 0) {
                                failedAfterKill.incrementAndGet();
                            }
                            if (ex.errorCode() != ErrorCode.PEER_DIED) {
                                unclear.add(ex);
                            }
                        }
                        catch (Throwable ex) {
                            unclear.add(ex);
                        }
                        i++;
                    }
                }));
            }
            await().atMost(PATIENCE).until(() -> answered.get() > 200);
            long killTime = System.nanoTime();
            killedAt.set(killTime);
            assertThat(ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly()).isTrue();

            await().atMost(PATIENCE).until(() -> firstGoodAfterKill.get() != 0);
            int answeredAtComeback = answered.get();
            await().atMost(PATIENCE).until(() -> answered.get() > answeredAtComeback + 200);
            go.set(false);
            for (Thread caller : callers) {
                caller.join(PATIENCE);
                assertThat(caller.isAlive()).as("a caller hung").isFalse();
            }
            System.out.printf("kill -9 under load: first good answer %.1f ms after the kill; %d call(s) failed "
                    + "(%s), %d answered%n", (firstGoodAfterKill.get() - killTime) / 1e6, failedAfterKill.get(),
                    failures, answered.get());

            assertThat(unclear).as("every failure is PEER_DIED with a message").isEmpty();
            PluginStatus status = supervisor.status();
            assertThat(status.state()).isEqualTo(PluginState.RUNNING);
            assertThat(status.incarnation()).isEqualTo(2);
            assertThat(status.restarts()).isEqualTo(1);
            assertThat(status.lastFailure()).isNotNull();
            assertThat(status.lastFailure().exitCode()).isEqualTo(137);
            assertThat(status.lastFailure().reason()).contains("exited with code 137 (SIGKILL)");
            PluginStatus.Running second = status.running();
            assertThat(second).isNotNull();
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(second.segment()).isNotEqualTo(first.segment());
            assertThat(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(first.segment()).doesNotExist();
            assertThat(adder.range(3).collectList().block(Duration.ofSeconds(30))).containsExactly(0, 1, 2);
            Health health = health(context.getBean(CompositeHealthContributor.class), "adder");
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("restarts", 1L).containsEntry("lastExitCode", 137)
                .containsEntry("incarnation", 2);

            context.close();
            assertThat(ProcessHandle.of(second.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(second.segment()).doesNotExist();
        });
    }

    @Test
    void aCrashLoopStopsAfterTheLimitWithTheReasonKeptAndHealthDown() {
        PluginContexts.runner("adder", "crash-after:1500", "rapace.plugins.adder.max-restarts=2",
                "rapace.plugins.adder.restart-window=5m").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.FAILED);
            PluginStatus status = supervisor.status();
            assertThat(status.incarnation()).isEqualTo(3);
            assertThat(status.restarts()).isEqualTo(2);
            assertThat(status.lastFailure().exitCode()).isEqualTo(3);
            assertThat(status.lastFailure().reason()).contains("gave up after 2 restarts within PT5M")
                .contains("exited with code 3");
            assertThat(status.lastFailure().lastLines()).contains("test plugin: crashing on purpose");
            Health health = health(context.getBean(CompositeHealthContributor.class), "adder");
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) health.getDetails().get("lastReason")).contains("gave up");
            Adder adder = context.getBean(Adder.class);
            assertThatThrownBy(() -> adder.add(1, 2)).isInstanceOfSatisfying(RapaceException.class,
                    (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("gave up");
            assertThat(leftoverChildren()).isEmpty();
        });
    }

    @Test
    void aPluginThatExitsDuringStartUpIsAFailureWithItsExitCodeAndLastLines() {
        PluginContexts.runner("adder", "exit:7", "rapace.plugins.adder.restart=never").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.FAILED);
            PluginFailure failure = supervisor.status().lastFailure();
            assertThat(failure.exitCode()).isEqualTo(7);
            assertThat(failure.reason()).contains("did not start").contains("exited with code 7")
                .contains("restart=never");
            assertThat(failure.lastLines()).contains("test plugin: starting",
                    "test plugin: cannot go on, exiting with 7");
            assertThat(health(context.getBean(CompositeHealthContributor.class), "adder").getStatus())
                .isEqualTo(Status.DOWN);
        });
    }

    @Test
    void aPluginThatNeverHeartbeatsIsKilledAfterTheStartTimeoutAndCountsAsAFailure() {
        PluginContexts.runner("adder", "silent", "rapace.plugins.adder.start-timeout=2s",
                "rapace.plugins.adder.stop-timeout=1s", "rapace.plugins.adder.max-restarts=1").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.FAILED);
            PluginFailure failure = supervisor.status().lastFailure();
            assertThat(failure.reason()).contains("did not open the segment").contains("within PT2S")
                .contains("gave up after 1 restarts");
            assertThat(failure.exitCode()).isNotNull();
            assertThat(failure.lastLines()).contains("test plugin: waiting forever without opening the segment");
            assertThat(supervisor.status().incarnation()).isEqualTo(2);
            assertThat(leftoverChildren()).isEmpty();
        });
    }

    @Test
    void callsDuringARestartFailFastWithUnavailableWhenSoConfigured() {
        PluginContexts.runner("adder", "serve", "rapace.plugins.adder.calls-during-restart=fail-fast",
                "rapace.plugins.adder.backoff.initial=3s", "rapace.plugins.adder.backoff.max=3s",
                "rapace.plugins.adder.backoff.jitter=0").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.add(1, 1)).isEqualTo(2);
            ProcessHandle.of(supervisor.status().running().pid()).orElseThrow().destroyForcibly();
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.BACKING_OFF);
            assertThatThrownBy(() -> adder.add(1, 2)).isInstanceOfSatisfying(RapaceException.class,
                    (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE))
                .hasMessageContaining("plugin 'adder' is backing off")
                .hasMessageContaining("exited with code 137");
            await().atMost(PATIENCE).until(() -> supervisor.status().state() == PluginState.RUNNING);
            assertThat(adder.add(1, 2)).isEqualTo(3);
        });
    }

    @Test
    void theWaitForARestartCountsAgainstTheCallTimeout() {
        PluginContexts.runner("adder", "serve", "rapace.plugins.adder.call-timeout=10s",
                "rapace.plugins.adder.backoff.initial=1s", "rapace.plugins.adder.backoff.max=1s",
                "rapace.plugins.adder.backoff.jitter=0").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            Adder adder = context.getBean(Adder.class);
            assertThat(adder.add(1, 1)).isEqualTo(2);
            ProcessHandle.of(supervisor.status().running().pid()).orElseThrow().destroyForcibly();
            await().atMost(PATIENCE).until(() -> supervisor.status().state() != PluginState.RUNNING);

            // Waits for the restart (the 1 s backoff and a start), then is sent and never answered: it must fail
            // when its own 10 s are up, not 10 s after the restart.
            long start = System.nanoTime();
            assertThatThrownBy(adder::hang).isInstanceOfSatisfying(RapaceException.class,
                    (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED))
                .hasMessageNotContaining("did not come back");
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            assertThat(supervisor.status().incarnation()).isEqualTo(2);
            assertThat(elapsed).isBetween(Duration.ofMillis(9_900), Duration.ofMillis(10_700));
        });
    }

    @Test
    void aClientOfAPackagePrivateInterfaceCallsThePlugin() {
        PluginContexts.runner("adder", "serve").run((context) -> {
            PluginSupervisor supervisor = context.getBean(RapacePlugins.class).supervisor("adder");
            QuietAdder adder = supervisor.client(QuietAdder.class);
            assertThat(adder.add(20, 22)).isEqualTo(42);
            assertThat(adder.twice(21)).isEqualTo(42);
            assertThat(adder.toString()).contains(QuietAdder.class.getName()).contains("plugin 'adder'");
        });
    }

    /** The plugin's {@link Adder} as a package-private interface of the host sees it. */
    @RapaceService("Adder")
    interface QuietAdder {

        int add(int a, int b);

        default int twice(int a) {
            return add(a, a);
        }
    }

    static Health health(CompositeHealthContributor contributor, String plugin) {
        return ((HealthIndicator) contributor.getContributor(plugin)).health();
    }

    /** Child processes of this JVM still alive, other than those the test harness itself runs. */
    static List<ProcessHandle> leftoverChildren() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }

    static boolean exists(Path path) {
        return Files.exists(path);
    }
}
