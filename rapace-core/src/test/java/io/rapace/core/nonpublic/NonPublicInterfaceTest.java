package io.rapace.core.nonpublic;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.service.SessionSource;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A package-private service interface, declared in a package of its own (not rapace's), served and called through
 * every kind of client: every shape and a default method work, on both sides.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class NonPublicInterfaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Package-private, as test code and application internals often declare their interfaces. */
    interface Counter {

        int add(int a, int b);

        CompletableFuture<Integer> addLater(int a, int b);

        Mono<Integer> addMono(int a, int b);

        Flux<Integer> upTo(int n);

        default int twice(int a) {
            return add(a, a);
        }
    }

    /** Package-private as well. */
    static final class CounterImpl implements Counter {

        @Override
        public int add(int a, int b) {
            return a + b;
        }

        @Override
        public CompletableFuture<Integer> addLater(int a, int b) {
            return CompletableFuture.supplyAsync(() -> a + b);
        }

        @Override
        public Mono<Integer> addMono(int a, int b) {
            return Mono.just(a + b);
        }

        @Override
        public Flux<Integer> upTo(int n) {
            return Flux.range(1, n);
        }
    }

    /** A package-private view of the two-process tests' plugin service {@code Calculator}. */
    @RapaceService("Calculator")
    interface Adding {

        int add(int a, int b);

        default int addTwice(int a) {
            return add(a, a);
        }
    }

    @TempDir
    Path dir;

    private RpcSession host;

    private RpcSession plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("nonpublic.shm");
        this.host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults()),
                SessionOptions.defaults());
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(new CounterImpl()).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void aClientOfAFixedSessionCallsEveryShape() {
        callsEveryShape(RapaceClients.create(Counter.class, this.host));
    }

    @Test
    void aClientOfASessionLookedUpPerCallCallsEveryShape() {
        callsEveryShape(RapaceClients.create(Counter.class, SessionSource.perCall(() -> this.host),
                ClientOptions.defaults()));
    }

    @Test
    void aGuardedClientCallsEveryShape() {
        callsEveryShape(RapaceClients.create(Counter.class, SessionSource.guarded(this.host, () -> null),
                ClientOptions.defaults()));
    }

    @Test
    void aClientOfAwaitedSessionsCallsEveryShape() {
        SessionSource.Awaited sessions = new SessionSource.Awaited() {
            @Override
            public @Nullable RpcSession runningNow() {
                return NonPublicInterfaceTest.this.host;
            }

            @Override
            public RpcSession await(long deadlineNanos) {
                return NonPublicInterfaceTest.this.host;
            }
        };
        callsEveryShape(RapaceClients.create(Counter.class, sessions, ClientOptions.defaults().withTimeout(WAIT)));
    }

    @Test
    void aRapaceHostClientCallsThePluginThroughAPackagePrivateInterface() {
        try (RapaceHost launched = RapaceHost.builder().command(pluginCommand()).start()) {
            launched.awaitPluginStarted(Duration.ofSeconds(60));
            Adding adding = launched.client(Adding.class, ClientOptions.defaults().withTimeout(WAIT));
            assertThat(adding.add(2, 3)).isEqualTo(5);
            assertThat(adding.addTwice(21)).isEqualTo(42);
        }
    }

    private static void callsEveryShape(Counter counter) {
        assertThat(counter.add(2, 3)).isEqualTo(5);
        assertThat(counter.addLater(4, 5).orTimeout(30, TimeUnit.SECONDS).join()).isEqualTo(9);
        assertThat(counter.addMono(6, 7).block(WAIT)).isEqualTo(13);
        assertThat(counter.upTo(3).collectList().block(WAIT)).containsExactly(1, 2, 3);
        assertThat(counter.twice(21)).isEqualTo(42);
        assertThat(counter.toString()).contains(Counter.class.getName());
    }

    /** The two-process tests' plugin ({@code CalculatorPluginMain}) in a child JVM with this class path. */
    private static List<String> pluginCommand() {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.rapace.core.runtime.CalculatorPluginMain");
        return command;
    }
}
