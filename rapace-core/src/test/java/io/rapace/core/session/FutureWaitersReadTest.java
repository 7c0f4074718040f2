package io.rapace.core.session;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A thread that waits on a unary call's future ({@code get}, {@code join}, on the call's future or a stage made from
 * it) reads the ring for the answer itself, and then completes the future on its own thread; nobody else's frames
 * are lost meanwhile, and a late answer, a timeout or a cancel still end the wait as a plain future's would.
 */
class FutureWaitersReadTest {

    private static final int ECHO = 401;

    private static final int SLOW_ECHO = 402;

    private static final int CALL_HOST_WITH_A_FUTURE = 403;

    private static final int HELD_ECHO = 404;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private SessionPair pair;

    /** Holds HELD_ECHO's answers until the test ends. */
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("futures.shm"));
        this.pair.pluginHandlers.put(ECHO, InlineSessionTest.nonBlocking(call -> call.respond(call.requestPayload())));
        this.pair.pluginHandlers.put(SLOW_ECHO, call -> {
            Thread.sleep(20);
            call.respond(call.requestPayload());
        });
        // A handler thread of the plugin waits on a future of its own call to the host: it reads the plugin's ring.
        this.pair.pluginHandlers.put(CALL_HOST_WITH_A_FUTURE, call -> call.respond(
                this.pair.plugin.call(ECHO, call.requestPayload(), TIMEOUT).get(30, TimeUnit.SECONDS)));
        this.pair.pluginHandlers.put(HELD_ECHO, call -> {
            this.release.await();
            call.respond(call.requestPayload());
        });
        this.pair.hostHandlers.put(ECHO, InlineSessionTest.nonBlocking(call -> call.respond(call.requestPayload())));
    }

    @AfterEach
    void stop() {
        this.release.countDown();
        this.pair.close();
    }

    @Test
    void aThreadWaitingOnACallsFutureReadsTheAnswerAndCompletesTheFutureItself() throws Exception {
        // Without the lead, the answer is read by the receive loop and the future completed on the callback executor:
        // a stage made before the wait would never run on the waiting thread. On a loaded machine an answer may come
        // later than the waiting thread reads for it, so only some of the calls are required to be read this way.
        Thread self = Thread.currentThread();
        int onThisThread = 0;
        for (int i = 0; i < 20_000 && onThisThread < 10; i++) {
            byte[] request = bytes(i);
            CompletableFuture<byte[]> answer = this.pair.host.call(ECHO, request, TIMEOUT);
            // A stage made on a future already complete runs at once, on this thread: that run does not count.
            boolean[] making = {true};
            CompletableFuture<Boolean> completedByWaiter =
                    answer.thenApply(bytes -> !making[0] && Thread.currentThread() == self);
            making[0] = false;
            boolean byWaiter = (i % 2 == 0) ? completedByWaiter.get() : completedByWaiter.join();
            assertThat(answer.get()).isEqualTo(request);
            if (byWaiter) {
                onThisThread++;
            }
        }
        assertThat(onThisThread).as("answers read and completed by the thread waiting on the future").isPositive();
        assertThat(this.pair.host.answersReadByTheirCallers()).isPositive();
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    @Test
    void manyThreadsWaitingOnFuturesWithLateAnswersAndRequestsFromThePeerAllGetTheirAnswers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        int value = thread * 1_000_000 + i;
                        int method = switch (i % 20) {
                            case 0 -> SLOW_ECHO;                 // later than any lead: the loop delivers it
                            case 1, 2 -> CALL_HOST_WITH_A_FUTURE;  // the plugin calls the host meanwhile
                            default -> ECHO;
                        };
                        CompletableFuture<byte[]> answer = this.pair.host.call(method, bytes(value), TIMEOUT);
                        byte[] got = switch (i % 3) {
                            case 0 -> answer.get();
                            case 1 -> answer.join();
                            default -> answer.thenApply(bytes -> bytes).get(30, TimeUnit.SECONDS);
                        };
                        assertThat(got).isEqualTo(bytes(value));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertThat(this.pair.plugin.pendingCalls()).isZero();
    }

    @Test
    void twoThreadsWaitingOnOneFutureBothGetTheAnswer() throws Exception {
        ExecutorService waiters = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                byte[] request = bytes(round);
                CompletableFuture<byte[]> answer = this.pair.host.call(SLOW_ECHO, request, TIMEOUT);
                CompletableFuture<byte[]> stage = answer.thenApply(bytes -> bytes);
                CountDownLatch ready = new CountDownLatch(2);
                Future<byte[]> first = waiters.submit(() -> {
                    ready.countDown();
                    return answer.join();
                });
                Future<byte[]> second = waiters.submit(() -> {
                    ready.countDown();
                    return stage.get();
                });
                assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(request);
                assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(request);
            }
        }
        finally {
            waiters.shutdownNow();
        }
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    @Test
    void aWaitWithATimeoutShorterThanTheAnswerTimesOutAndALaterWaitGetsTheAnswer() throws Exception {
        byte[] request = bytes(7);
        CompletableFuture<byte[]> answer = this.pair.host.call(SLOW_ECHO, request, TIMEOUT);
        assertThatThrownBy(() -> answer.get(200, TimeUnit.MICROSECONDS)).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> answer.get(0, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(request);
        // The session still answers at once afterwards.
        assertThat(this.pair.host.call(ECHO, bytes(8), TIMEOUT).get()).isEqualTo(bytes(8));
    }

    @Test
    void aFutureCancelledWhileAnotherThreadWaitsOnItEndsThatWait() throws Exception {
        CompletableFuture<byte[]> answer = this.pair.host.call(HELD_ECHO, bytes(9), TIMEOUT);
        AtomicReference<@Nullable Throwable> ended = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                answer.join();
                ended.set(new AssertionError("the wait ended with an answer"));
            }
            catch (CancellationException expected) {
                ended.set(expected);
            }
        });
        // Cancelled while the thread waits (parked in the future, after its read found nothing).
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
            .until(() -> waiter.getState() == Thread.State.WAITING);
        assertThat(answer.cancel(true)).isTrue();
        waiter.join(Duration.ofSeconds(30));
        assertThat(ended.get()).isInstanceOf(CancellationException.class);
        assertThat(this.pair.host.call(ECHO, bytes(10), TIMEOUT).get()).isEqualTo(bytes(10));
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    private static byte[] bytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }
}
