package io.rapace.core.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A client over each kind of {@link SessionSource}: where each call goes, and how a refusal shows. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SessionSourceTest {

    // Sessions closed with calls in flight on purpose warn about the handlers they cancel: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** A service with one method per shape, and methods that never answer. */
    @RapaceService("Source")
    public interface Source {

        int add(int a, int b);

        CompletableFuture<Integer> addLater(int a, int b);

        Mono<Integer> addMono(int a, int b);

        Flux<Integer> upTo(int n);

        int hang();

        CompletableFuture<Integer> hangLater();

        Mono<Integer> hangMono();

        Flux<Integer> hangFlux();
    }

    @TempDir
    Path dir;

    private final AtomicInteger served = new AtomicInteger();

    private final CountDownLatch release = new CountDownLatch(1);

    private RpcSession host;

    private RpcSession plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("sources.shm");
        this.host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults()),
                SessionOptions.defaults());
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(Source.class, new Served()).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.release.countDown();
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void aGuardThatObjectsFailsEachShapeInItsOwnStyleWithoutACall() {
        RapaceException exited = new RapaceException(ErrorCode.PEER_DIED, "plugin process exited with code 3");
        AtomicReference<@Nullable RapaceException> problem = new AtomicReference<>();
        Source client = RapaceClients.create(Source.class, SessionSource.guarded(this.host, problem::get),
                ClientOptions.defaults());
        assertThat(client.add(1, 2)).isEqualTo(3);

        problem.set(exited);
        assertThatThrownBy(() -> client.add(1, 2)).isSameAs(exited);
        CompletableFuture<Integer> future = client.addLater(1, 2);
        assertThat(catchThrowable(() -> future.get(30, TimeUnit.SECONDS))).isInstanceOf(ExecutionException.class)
            .cause().isSameAs(exited);
        Mono<Integer> mono = client.addMono(1, 2);
        Flux<Integer> flux = client.upTo(3);
        assertThatThrownBy(() -> mono.block(WAIT)).isSameAs(exited);
        assertThatThrownBy(() -> flux.blockLast(WAIT)).isSameAs(exited);
        assertThat(this.served).as("only the first call reached the plugin").hasValue(1);

        problem.set(null);
        assertThat(mono.block(WAIT)).as("a Mono asks the guard when subscribed").isEqualTo(3);
        assertThat(flux.collectList().block(WAIT)).containsExactly(1, 2, 3);
    }

    @Test
    void eachCallGoesToTheSessionOfTheMomentAndNoSessionFailsEachShapeInItsOwnStyle() {
        AtomicReference<@Nullable RpcSession> current = new AtomicReference<>();
        Source client = RapaceClients.create(Source.class, SessionSource.perCall(() -> {
            RpcSession session = current.get();
            if (session == null) {
                throw new IllegalStateException("no session runs");
            }
            return session;
        }), ClientOptions.defaults());
        Mono<Integer> mono = client.addMono(2, 2);

        assertThatThrownBy(() -> client.add(1, 2)).isInstanceOf(IllegalStateException.class)
            .hasMessage("no session runs");
        assertThat(client.addLater(1, 2)).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> mono.block(WAIT)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.upTo(2).blockLast(WAIT)).isInstanceOf(IllegalStateException.class);

        current.set(this.host);
        assertThat(client.add(1, 2)).isEqualTo(3);
        assertThat(mono.block(WAIT)).isEqualTo(4);
        assertThat(client.upTo(2).collectList().block(WAIT)).containsExactly(1, 2);
    }

    @Test
    void theWaitForASessionCountsAgainstTheCallTimeoutOfEveryShape() throws Exception {
        Duration timeout = Duration.ofMillis(2500);
        long wait = TimeUnit.MILLISECONDS.toNanos(1500);
        long start = System.nanoTime();
        Later later = new Later(this.host, start + wait);
        Source client = RapaceClients.create(Source.class, later, ClientOptions.defaults().withTimeout(timeout));

        // Four calls at once, each to a method that never answers: each waits 1.5 s for the session, then has
        // 1 s of its 2.5 s left; one that got the whole timeout again would fail at 4 s.
        CompletableFuture<Long> blocking = failedAt(CompletableFuture.supplyAsync(client::hang,
                (task) -> Thread.ofPlatform().start(task)), start);
        CompletableFuture<Long> future = failedAt(client.hangLater(), start);
        CompletableFuture<Long> mono = failedAt(client.hangMono().toFuture(), start);
        CompletableFuture<Long> flux = failedAt(client.hangFlux().then(Mono.<Integer>empty()).toFuture(), start);

        for (CompletableFuture<Long> failed : List.of(blocking, future, mono, flux)) {
            long elapsed = failed.get(30, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(timeout.minusMillis(50))
                .isLessThan(timeout.plusMillis(1000));
        }
        assertThat(later.awaitedFromVirtualThreads.get()).as("asynchronous shapes waited on virtual threads")
            .isEqualTo(3);
    }

    @Test
    void anAsynchronousCallToARunningSessionDoesNotHopThreads() {
        AtomicInteger awaited = new AtomicInteger();
        SessionSource.Awaited running = new SessionSource.Awaited() {
            @Override
            public RpcSession runningNow() {
                return SessionSourceTest.this.host;
            }

            @Override
            public RpcSession await(long deadlineNanos) {
                awaited.incrementAndGet();
                return SessionSourceTest.this.host;
            }
        };
        Source client = RapaceClients.create(Source.class, running, ClientOptions.defaults().withTimeout(WAIT));
        assertThat(client.addLater(1, 2).join()).isEqualTo(3);
        assertThat(client.addMono(1, 2).block(WAIT)).isEqualTo(3);
        assertThat(client.upTo(2).collectList().block(WAIT)).containsExactly(1, 2);
        assertThat(awaited).hasValue(0);
        assertThat(client.add(1, 2)).isEqualTo(3);
        assertThat(client.toString()).isEqualTo("RapaceClient[Source (" + Source.class.getName() + ") on "
                + running + "]");
    }

    @Test
    void noSessionInTimeFailsWithTheSourcesOwnError() {
        Later never = new Later(this.host, System.nanoTime() + Duration.ofDays(1).toNanos());
        Source client = RapaceClients.create(Source.class, never,
                ClientOptions.defaults().withTimeout(Duration.ofMillis(200)));
        assertThatThrownBy(() -> client.add(1, 2)).isInstanceOfSatisfying(RapaceException.class,
                (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED))
            .hasMessageContaining("no session in time");
        assertThatThrownBy(() -> client.addMono(1, 2).block(WAIT)).isInstanceOfSatisfying(RapaceException.class,
                (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    }

    @Test
    void aCallTheClientItselfFailsIsReportedToTheSource() {
        // The source hands its session over only after the call's whole timeout: the client fails the call
        // itself (nothing was sent), and tells the source, which counts such calls (the host starter's meter).
        List<RapaceException> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
        SessionSource.Awaited late = new SessionSource.Awaited() {
            @Override
            public @Nullable RpcSession runningNow() {
                return null;
            }

            @Override
            public RpcSession await(long deadlineNanos) {
                java.util.concurrent.locks.LockSupport.parkNanos(deadlineNanos - System.nanoTime() + 1_000_000);
                return SessionSourceTest.this.host;
            }

            @Override
            public void refused(RapaceException failure) {
                refused.add(failure);
            }
        };
        Source client = RapaceClients.create(Source.class, late,
                ClientOptions.defaults().withTimeout(Duration.ofMillis(100)));
        assertThatThrownBy(() -> client.add(1, 2)).isInstanceOfSatisfying(RapaceException.class,
                (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThatThrownBy(() -> client.addMono(1, 2).block(WAIT)).isInstanceOf(RapaceException.class);
        assertThat(refused).hasSize(2).allSatisfy(
                (ex) -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(this.served).hasValue(0);
    }

    @Test
    void awaitedSessionsNeedACallTimeout() {
        assertThatIllegalArgumentException().isThrownBy(() -> RapaceClients.create(Source.class,
                new Later(this.host, 0), ClientOptions.defaults()))
            .withMessageContaining("needs a call timeout");
    }

    /** When each of {@code call}'s failures came, in nanoseconds from {@code start}; its value is an error. */
    private static CompletableFuture<Long> failedAt(CompletableFuture<?> call, long start) {
        return call.handle((value, failure) -> {
            Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
            if (!(cause instanceof RapaceException rapace) || rapace.errorCode() != ErrorCode.DEADLINE_EXCEEDED) {
                throw new AssertionError("expected DEADLINE_EXCEEDED, got " + value + " / " + failure, failure);
            }
            return System.nanoTime() - start;
        });
    }

    /** A session that runs from {@code readyAt} (on {@link System#nanoTime()}) on. */
    private static final class Later implements SessionSource.Awaited {

        final AtomicInteger awaitedFromVirtualThreads = new AtomicInteger();

        private final RpcSession session;

        private final long readyAt;

        Later(RpcSession session, long readyAt) {
            this.session = session;
            this.readyAt = readyAt;
        }

        @Override
        public @Nullable RpcSession runningNow() {
            return System.nanoTime() - this.readyAt >= 0 ? this.session : null;
        }

        @Override
        public RpcSession await(long deadlineNanos) {
            if (Thread.currentThread().isVirtual()) {
                this.awaitedFromVirtualThreads.incrementAndGet();
            }
            while (System.nanoTime() - this.readyAt < 0) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    throw new RapaceException(ErrorCode.DEADLINE_EXCEEDED, "no session in time");
                }
                LockSupport.parkNanos(Math.min(this.readyAt - System.nanoTime(), deadlineNanos - System.nanoTime()));
            }
            return this.session;
        }

        @Override
        public String toString() {
            return "the test's later session";
        }
    }

    /** The plugin's side. */
    private final class Served implements Source {

        @Override
        public int add(int a, int b) {
            SessionSourceTest.this.served.incrementAndGet();
            return a + b;
        }

        @Override
        public CompletableFuture<Integer> addLater(int a, int b) {
            return CompletableFuture.completedFuture(add(a, b));
        }

        @Override
        public Mono<Integer> addMono(int a, int b) {
            return Mono.fromSupplier(() -> add(a, b));
        }

        @Override
        public Flux<Integer> upTo(int n) {
            SessionSourceTest.this.served.incrementAndGet();
            return Flux.range(1, n);
        }

        @Override
        public int hang() {
            try {
                SessionSourceTest.this.release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        @Override
        public CompletableFuture<Integer> hangLater() {
            return new CompletableFuture<>();
        }

        @Override
        public Mono<Integer> hangMono() {
            return Mono.never();
        }

        @Override
        public Flux<Integer> hangFlux() {
            return Flux.never();
        }
    }
}
