package io.rapace.core.runtime;

import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.operations.MeterReading;
import io.rapace.core.operations.PluginHealth;
import io.rapace.core.operations.SessionOperations;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.MethodIds;
import io.rapace.core.session.SessionObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/** A host in this JVM and {@link CalculatorPluginMain} in a child JVM, one plugin for the whole class. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TwoProcessRpcTest {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    // The plugin's standard error, where it logs the handler failure one test provokes on purpose.
    @TempDir
    static Path pluginLogs;

    private static RapaceHost host;

    private static Calculator calculator;

    /** The outcomes of the calls the host made, as its session observer heard of them. */
    private static final Map<ErrorCode, Integer> CLIENT_CALLS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startPlugin() {
        SessionObserver observer = new SessionObserver() {
            @Override
            public void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
                CLIENT_CALLS.merge(outcome, 1, Integer::sum);
            }
        };
        host = RapaceHost.builder().command(ChildJvm.command(CalculatorPluginMain.class))
                .redirectError(Redirect.to(pluginLogs.resolve("plugin.err").toFile()))
                .services((HostMath) x -> 2 * x).callTimeout(Duration.ofSeconds(60)).observer(observer).start();
        host.awaitPluginStarted(STARTUP);
        calculator = host.client(Calculator.class);
    }

    @AfterAll
    static void stopPlugin() {
        if (host != null) {
            Path path = host.path();
            Process process = host.process();
            host.close();
            assertThat(process.isAlive()).isFalse();
            assertThat(Files.exists(path)).as("segment file deleted").isFalse();
        }
    }

    @Test
    void thePluginServesItsHealthAndMetersOverTheSession() {
        assertThat(calculator.add(1, 1)).isEqualTo(2);
        PluginHealth health = host.operations().health();
        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.component(SessionOperations.COMPONENT)).hasValueSatisfying(component -> {
            assertThat(component.status()).isEqualTo("UP");
            assertThat(component.details()).containsEntry("state", "OPEN").containsEntry("slotCount", "128")
                    .containsKey("peerHeartbeatAge").containsKey("ringOccupancy");
            assertThat(component.details().get("peerHeartbeatAge")).endsWith(" ms");
        });
        List<MeterReading> frames = host.operations().metrics("rapace.frames");
        assertThat(frames).extracting(MeterReading::name).containsOnly("rapace.frames", "rapace.frames.invalid");
        assertThat(frames).filteredOn(reading -> reading.tags().equals(Map.of("direction", "receive")))
                .singleElement().satisfies(reading -> {
                    assertThat(reading.statistic()).isEqualTo("COUNT");
                    assertThat(reading.value()).isGreaterThanOrEqualTo(2);
                });
        assertThat(host.operations().metrics("")).extracting(MeterReading::name).contains("rapace.slots.count",
                "rapace.peer.heartbeat.age", "rapace.ring.occupancy");
    }

    @Test
    void unaryCalls() {
        assertThat(calculator.add(2, 40)).isEqualTo(42);
        assertThat(calculator.add(-7, 3)).isEqualTo(-4);
        assertThat(calculator.addAsync(20, 22).join()).isEqualTo(42);
        assertThat(calculator.multiply(6_000_000_000L, 7).block(Duration.ofSeconds(60))).isEqualTo(42_000_000_000L);
        assertThat(calculator.addTwice(21)).isEqualTo(42);
    }

    @Test
    void serverStreaming() {
        assertThat(calculator.range(1000).collectList().block(Duration.ofSeconds(60)))
                .hasSize(1000).first().isEqualTo(0);
        assertThat(calculator.range(5).collectList().block(Duration.ofSeconds(60))).containsExactly(0, 1, 2, 3, 4);
        assertThat(calculator.range(0).collectList().block(Duration.ofSeconds(60))).isEmpty();
    }

    @Test
    void handlerErrorsCarryTheirCode() {
        RapaceException notFound = catchThrowableOfType(RapaceException.class, () -> calculator.find("k7"));
        assertThat(notFound.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(notFound.getMessage()).contains("no item 'k7'");

        RapaceException internal = catchThrowableOfType(RapaceException.class, () -> calculator.crash("on purpose"));
        assertThat(internal.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(internal.getMessage()).contains("on purpose");
        await().atMost(STARTUP).until(() -> Files.readString(pluginLogs.resolve("plugin.err"))
                .contains("WARNING: Calculator.crash failed"));
    }

    @Test
    void theHostsObserverHearsOfEveryCallItMakesWithItsOutcome() {
        int ok = CLIENT_CALLS.getOrDefault(ErrorCode.OK, 0);
        int notFound = CLIENT_CALLS.getOrDefault(ErrorCode.NOT_FOUND, 0);
        assertThat(calculator.add(1, 2)).isEqualTo(3);
        assertThat(calculator.range(3).collectList().block(Duration.ofSeconds(60))).containsExactly(0, 1, 2);
        assertThatThrownBy(() -> calculator.find("k7")).isInstanceOf(RapaceException.class);
        // The observer may hear of a call's end just after its caller got the answer.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(CLIENT_CALLS.getOrDefault(ErrorCode.OK, 0)).isEqualTo(ok + 2);
            assertThat(CLIENT_CALLS.getOrDefault(ErrorCode.NOT_FOUND, 0)).isEqualTo(notFound + 1);
        });
    }

    @Test
    void unknownMethodIsUnimplemented() {
        CalculatorWithExtra extra = host.client(CalculatorWithExtra.class);
        assertThat(extra.add(1, 2)).isEqualTo(3);
        RapaceException ex = catchThrowableOfType(RapaceException.class, () -> extra.subtract(3, 1));
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNIMPLEMENTED);
    }

    @Test
    void garbageArgumentsAreInvalidArgument() {
        int add = MethodIds.methodId("Calculator", "add");
        CompletableFuture<byte[]> call = host.session().call(add, new byte[] {(byte) 0xFF, (byte) 0xFF},
                Duration.ofSeconds(60));
        assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(RapaceException.class,
                ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(calculator.add(1, 1)).isEqualTo(2);
    }

    @Test
    void deadlineExceededThenTheSessionStillWorks() {
        Calculator impatient = host.client(Calculator.class, new ClientOptions(Duration.ofMillis(200)));
        RapaceException ex = catchThrowableOfType(RapaceException.class, () -> impatient.slow(3_000));
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        // The session survives: later calls (with a patient client, so that a loaded machine cannot fail them) work.
        assertThat(calculator.add(40, 2)).isEqualTo(42);
        assertThat(calculator.slow(1)).isEqualTo("slept 1");
    }

    @Test
    void pluginCallsBackIntoItsHost() {
        assertThat(calculator.viaHost(20)).isEqualTo(41);
    }

    @Test
    void manyConcurrentCallersAllAnsweredCorrectly() throws Exception {
        int callers = 8;
        int callsPerCaller = 12_500;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                results.add(pool.submit(() -> {
                    int correct = 0;
                    for (int i = 0; i < callsPerCaller; i++) {
                        if (calculator.add(caller * 1_000_000, i) == caller * 1_000_000 + i) {
                            correct++;
                        }
                    }
                    return correct;
                }));
            }
            int correct = 0;
            for (Future<Integer> result : results) {
                correct += result.get(4, TimeUnit.MINUTES);
            }
            assertThat(correct).isEqualTo(callers * callsPerCaller);
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void objectMethodsAreLocal() {
        assertThat(calculator.toString()).contains("Calculator");
        assertThat(calculator).isEqualTo(calculator).isNotEqualTo(host.client(Calculator.class));
        assertThat(calculator.hashCode()).isEqualTo(calculator.hashCode());
    }
}
