package io.rapace.core.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionObserver;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A thread that waits for a typed client's unary answer reads it itself, whatever the shape. On a
 * {@code CompletableFuture} method, the waiting thread completes the future (and the stages made from it) on its own
 * thread. On a {@code Mono} method blocked on directly, the session sees the call end on the blocking thread. What
 * {@code block} returns and throws is what Reactor's own {@code block} would: the value, the call's error, a timeout
 * that cancels the call, a refusal on a non-blocking thread. Subscribed instead, the {@code Mono} is a plain lazy one.
 */
class TypedWaitsReadTest {

    /** A service answering through a {@code Mono}, and through a future. */
    @RapaceService("MonoAdder")
    public interface MonoAdder {

        Mono<Integer> add(int a, int b);

        CompletableFuture<Integer> addLater(int a, int b);

        Mono<Integer> refuse();

        Mono<Integer> hang();

        CompletableFuture<Integer> hangLater();
    }

    private static final int CALLS = 2_000;

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);

    /** Outgoing calls the host's session saw end on the thread that runs the test. */
    private final AtomicInteger endedOnTestThread = new AtomicInteger();

    private volatile Thread testThread = Thread.currentThread();

    private RpcSession host;

    private RpcSession plugin;

    @BeforeEach
    void start() {
        this.testThread = Thread.currentThread();
        Path file = this.dir.resolve("typed-waits.shm");
        SessionObserver observer = new SessionObserver() {
            @Override
            public void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
                if (Thread.currentThread() == TypedWaitsReadTest.this.testThread) {
                    TypedWaitsReadTest.this.endedOnTestThread.incrementAndGet();
                }
            }
        };
        this.host = RpcSession.start(ShmTransport.create(file, new ShmConfig(64, 4096, 32), ShmOptions.defaults()),
                SessionOptions.defaults().withObserver(observer));
        MonoAdder served = new MonoAdder() {
            @Override
            public Mono<Integer> add(int a, int b) {
                return Mono.just(a + b);
            }

            @Override
            public CompletableFuture<Integer> addLater(int a, int b) {
                return CompletableFuture.completedFuture(a + b);
            }

            @Override
            public Mono<Integer> refuse() {
                return Mono.error(new RapaceException(ErrorCode.FAILED_PRECONDITION, "not now"));
            }

            @Override
            public CompletableFuture<Integer> hangLater() {
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        TypedWaitsReadTest.this.release.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    return 0;
                });
            }

            @Override
            public Mono<Integer> hang() {
                return Mono.fromCallable(() -> {
                    TypedWaitsReadTest.this.release.await();
                    return 0;
                });
            }
        };
        this.plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withDispatcher(ServiceDefinition.of(MonoAdder.class, served).dispatcher()));
    }

    @AfterEach
    void stop() {
        this.release.countDown();
        this.plugin.close(Duration.ZERO);
        this.host.close(Duration.ZERO);
    }

    @Test
    void blockingOnATypedMonoReadsTheAnswerOnTheBlockingThread() {
        MonoAdder client = RapaceClients.create(MonoAdder.class, this.host);
        // On a loaded machine an answer may come later than the blocking thread reads for it: some calls suffice.
        for (int i = 0; i < CALLS && this.endedOnTestThread.get() < 10; i++) {
            assertThat(client.add(i, 1).block()).isEqualTo(i + 1);
            assertThat(client.add(i, 2).block(Duration.ofSeconds(30))).isEqualTo(i + 2);
        }
        assertThat(this.endedOnTestThread.get()).as("calls whose answer the blocking thread read").isPositive();
    }

    @Test
    void theThreadWaitingOnATypedFutureCompletesIt() throws Exception {
        MonoAdder client = RapaceClients.create(MonoAdder.class, this.host);
        assertThat(completedByTheWaitingThread(client)).as("typed answers completed by the thread waiting on the future")
            .isPositive();
    }

    /** How many of up to 20,000 futures the waiting thread completed itself, stopping at 10. */
    private static int completedByTheWaitingThread(MonoAdder client) throws Exception {
        Thread self = Thread.currentThread();
        int onThisThread = 0;
        // On a loaded machine an answer may come later than the waiting thread reads for it: some calls suffice.
        for (int i = 0; i < 20_000 && onThisThread < 10; i++) {
            CompletableFuture<Integer> sum = client.addLater(i, 1);
            // A stage made on a future already complete runs at once, on this thread: that run does not count.
            boolean[] making = {true};
            CompletableFuture<Boolean> completedByWaiter =
                    sum.thenApply(value -> !making[0] && Thread.currentThread() == self);
            making[0] = false;
            if (completedByWaiter.get()) {
                onThisThread++;
            }
            assertThat(sum.join()).isEqualTo(i + 1);
        }
        return onThisThread;
    }

    @Test
    void theThreadWaitingOnAFutureOfAClientWhoseSessionsComeAndGoCompletesItWhileOneRuns() throws Exception {
        // A client on sessions that come and go (a supervised plugin's): with a session running, its future is that
        // session's own.
        SessionSource.Awaited running = new SessionSource.Awaited() {
            @Override
            public RpcSession runningNow() {
                return TypedWaitsReadTest.this.host;
            }

            @Override
            public RpcSession await(long deadlineNanos) {
                return TypedWaitsReadTest.this.host;
            }
        };
        MonoAdder client = RapaceClients.create(MonoAdder.class, running,
                ClientOptions.defaults().withTimeout(Duration.ofSeconds(30)));
        assertThat(completedByTheWaitingThread(client)).as("answers completed by the thread waiting on the future")
            .isPositive();

        // Cancelling such a future still cancels its call.
        CompletableFuture<Integer> hanging = client.hangLater();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.host.pendingCalls() == 1);
        assertThat(hanging.cancel(true)).isTrue();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> this.host.pendingCalls() == 0);
    }

    @Test
    void whatBlockReturnsAndThrowsIsWhatReactorsBlockWould() {
        MonoAdder client = RapaceClients.create(MonoAdder.class, this.host);
        Mono<Integer> lazy = client.add(20, 22);
        assertThat(lazy.map(sum -> sum * 2).block(Duration.ofSeconds(30))).as("subscribed: a plain Mono").isEqualTo(84);
        assertThat(lazy.block()).as("each block makes the call again").isEqualTo(42);

        assertThatThrownBy(() -> client.refuse().block()).isInstanceOfSatisfying(RapaceException.class,
                refused -> assertThat(refused.errorCode()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
            .satisfies(refused -> assertThat(refused.getSuppressed()).extracting(Throwable::getMessage)
                .containsExactly("#block terminated with an error"));

        assertThatThrownBy(() -> client.hang().block(Duration.ofMillis(50))).isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("Timeout on blocking read for 50000000 NANOSECONDS");
        // The timed-out call was cancelled: nothing of it stays pending.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> this.host.pendingCalls() == 0);

        Mono<Integer> onParallel = Mono.defer(() -> Mono.just(client.add(1, 1).block()))
            .subscribeOn(Schedulers.parallel());
        assertThatThrownBy(() -> onParallel.block(Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("are blocking, which is not supported in thread parallel-");
    }
}
