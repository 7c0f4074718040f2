package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.PeerRole;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Host and plugin sessions in one JVM over one real mapped file. */
class RpcSessionTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    static final int ECHO = 101;

    static final int FAIL_WITH_CODE = 102;

    static final int NO_ANSWER = 103;

    static final int COUNT_TO = 104;

    static final int BLOCK = 105;

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SessionPair pair;

    final CountDownLatch release = new CountDownLatch(1);

    final CountDownLatch blockedStarted = new CountDownLatch(1);

    final AtomicBoolean blockedSawCancel = new AtomicBoolean();

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("session.shm"));
        installHandlers(this.pair);
    }

    void installHandlers(SessionPair sessions) {
        for (var table : List.of(sessions.hostHandlers, sessions.pluginHandlers)) {
            table.put(ECHO, call -> call.respond(call.requestPayload()));
            table.put(FAIL_WITH_CODE, call -> {
                int code = Integer.parseInt(new String(call.requestPayload(), StandardCharsets.UTF_8));
                throw new RapaceException(ErrorCode.fromCode(code), "failed with " + code);
            });
            table.put(NO_ANSWER, call -> { });
            table.put(COUNT_TO, call -> {
                int n = call.requestPayload()[0];
                for (int i = 1; i <= n; i++) {
                    call.sendItem(new byte[] {(byte) i});
                }
                call.complete();
            });
            table.put(BLOCK, call -> {
                call.onCancel(() -> this.blockedSawCancel.set(true));
                this.blockedStarted.countDown();
                this.release.await();
                call.respond("late".getBytes(StandardCharsets.UTF_8));
            });
        }
    }

    @AfterEach
    void stop() {
        this.release.countDown();
        this.pair.close();
    }

    @Test
    void rolesFollowTheTransport() {
        assertThat(this.pair.host.role()).isEqualTo(PeerRole.HOST);
        assertThat(this.pair.plugin.role()).isEqualTo(PeerRole.PLUGIN);
        assertThat(this.pair.host.state()).isEqualTo(SessionState.OPEN);
    }

    @Test
    void onlyOneSessionMayReadATransport() {
        assertThatThrownBy(() -> RpcSession.start(this.pair.host.transport(), SessionOptions.defaults()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a session");
        assertThat(this.pair.host.call(ECHO, new byte[] {1}, null).join()).containsExactly(1);
    }

    @Test
    void badTimeoutsAreRejectedAtOnce() {
        assertThatThrownBy(() -> this.pair.host.call(ECHO, new byte[0], Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT0S");
        assertThatThrownBy(() -> this.pair.host.callStreaming(ECHO, new byte[0], Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    @Test
    void aClosedTransportCannotStartASession() {
        this.pair.host.close(Duration.ZERO);
        assertThatThrownBy(() -> RpcSession.start(this.pair.host.transport(), SessionOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already closed");
    }

    @Test
    void unaryEchoBothDirectionsInlineAndInASlot() {
        byte[] small = {1, 2, 3};
        byte[] large = new byte[3000];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 7);
        }
        assertThat(this.pair.host.call(ECHO, small, null).join()).isEqualTo(small);
        assertThat(this.pair.host.call(ECHO, large, null).join()).isEqualTo(large);
        assertThat(this.pair.plugin.call(ECHO, small, null).join()).isEqualTo(small);
        assertThat(this.pair.plugin.call(ECHO, large, null).join()).isEqualTo(large);
        assertThat(this.pair.host.call(ECHO, new byte[0], null).join()).isEmpty();
        assertThat(this.pair.host.pendingCalls()).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(this.pair.host.transport().stats().slotsInUse()).isZero();
            assertThat(this.pair.plugin.activeServerCalls()).isZero();
        });
    }

    @Test
    void everyErrorCodeRoundTrips() {
        for (ErrorCode code : ErrorCode.values()) {
            if (code == ErrorCode.OK) {
                continue;
            }
            byte[] request = Integer.toString(code.code()).getBytes(StandardCharsets.UTF_8);
            assertThat(failure(this.pair.plugin.call(FAIL_WITH_CODE, request, null)))
                    .satisfies(ex -> {
                        assertThat(ex.errorCode()).isEqualTo(code);
                        assertThat(ex.rawCode()).isEqualTo(code.code());
                        assertThat(ex).hasMessage("failed with " + code.code());
                    });
        }
    }

    @Test
    void unknownMethodIsUnimplemented() {
        RapaceException ex = failure(this.pair.host.call(424242, new byte[0], null));
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.UNIMPLEMENTED);
        assertThat(ex).hasMessage("Unknown method_id: 424242");
    }

    @Test
    void handlerThatDoesNotAnswerIsInternal() {
        RapaceException ex = failure(this.pair.host.call(NO_ANSWER, new byte[0], null));
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ex).hasMessage("handler did not answer");
    }

    @Test
    void handlerThrowingAPlainExceptionIsInternalWithItsMessage() {
        this.pair.pluginHandlers.put(7, call -> {
            throw new IllegalArgumentException("bad input 7");
        });
        RapaceException ex = failure(this.pair.host.call(7, new byte[0], null));
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ex).hasMessage("bad input 7");
    }

    @Test
    void streamEndsWithEosAlone() {
        List<byte[]> items = this.pair.host.callStreaming(COUNT_TO, new byte[] {5}, null).collectList().block(WAIT);
        assertThat(items).extracting(item -> (int) item[0]).containsExactly(1, 2, 3, 4, 5);
        assertThat(this.pair.host.pendingCalls()).isZero();
        List<byte[]> none = this.pair.plugin.callStreaming(COUNT_TO, new byte[] {0}, null).collectList().block(WAIT);
        assertThat(none).isEmpty();
    }

    @Test
    void streamErrorEos() {
        this.pair.pluginHandlers.put(8, call -> {
            call.sendItem(new byte[] {1});
            call.fail(ErrorCode.ABORTED, "stopped after one");
        });
        List<byte[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> this.pair.host.callStreaming(8, new byte[0], null).doOnNext(seen::add).blockLast(WAIT))
                .isInstanceOfSatisfying(RapaceException.class, ex -> {
                    assertThat(ex.errorCode()).isEqualTo(ErrorCode.ABORTED);
                    assertThat(ex).hasMessage("stopped after one");
                });
        assertThat(seen).hasSize(1);
    }

    @Test
    void cancellingTheFluxStopsTheProducer() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicBoolean sawCancelFlag = new AtomicBoolean();
        this.pair.pluginHandlers.put(9, call -> {
            call.onCancel(cancelled::countDown);
            int i = 0;
            while (!call.isCancelled()) {
                call.sendItem(new byte[] {(byte) i++});
                Thread.sleep(1);
            }
            sawCancelFlag.set(call.isCancelled());
        });
        List<byte[]> items = this.pair.host.callStreaming(9, new byte[0], null).take(3).collectList().block(WAIT);
        assertThat(items).hasSize(3);
        assertThat(cancelled.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(sawCancelFlag).isTrue();
            assertThat(this.pair.plugin.activeServerCalls()).isZero();
            assertThat(this.pair.host.pendingCalls()).isZero();
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.pair.plugin.transport().stats().slotsInUse()).isZero());
    }

    @Test
    void cancellingAUnaryFutureCancelsTheServerCall() throws Exception {
        CompletableFuture<byte[]> future = this.pair.host.call(BLOCK, new byte[0], WAIT);
        assertThat(this.blockedStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(future.cancel(true)).isTrue();
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertServerSawTheCancelAndNothingLeaked();
        assertThat(this.pair.host.call(ECHO, new byte[] {3}, null).join()).containsExactly(3);
    }

    @Test
    void blockingCallReturnsTheAnswerOrThrowsThePeersError() {
        assertThat(this.pair.host.callBlocking(ECHO, new byte[] {4, 2}, null)).containsExactly(4, 2);
        assertThat(this.pair.plugin.callBlocking(ECHO, new byte[3000], WAIT)).hasSize(3000);
        assertThatThrownBy(() -> this.pair.host.callBlocking(FAIL_WITH_CODE,
                Integer.toString(ErrorCode.NOT_FOUND.code()).getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOfSatisfying(RapaceException.class, ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    @Test
    void blockingCallExpiresAtItsDeadlineAndCancelsTheServer() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> this.pair.host.callBlocking(BLOCK, new byte[0], Duration.ofMillis(200)))
                .isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(this.pair.host.pendingCalls()).isZero();
        await().atMost(WAIT).untilTrue(this.blockedSawCancel);
    }

    @Test
    void interruptingABlockingCallerCancelsTheCall() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        Thread caller = Thread.ofVirtual().start(() -> {
            try {
                this.pair.host.callBlocking(BLOCK, new byte[0], WAIT);
                thrown.complete(null);
            }
            catch (RuntimeException ex) {
                stillInterrupted.set(Thread.currentThread().isInterrupted());
                thrown.complete(ex);
            }
        });
        assertThat(this.blockedStarted.await(30, TimeUnit.SECONDS)).isTrue();
        caller.interrupt();
        assertThat(thrown.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(RapaceException.class,
                ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.CANCELLED));
        assertThat(stillInterrupted).isTrue();
        assertThat(this.pair.host.pendingCalls()).isZero();
        await().atMost(WAIT).untilTrue(this.blockedSawCancel);
    }

    @Test
    void closeFailsABlockedCallerWithSessionClosed() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                this.pair.host.callBlocking(BLOCK, new byte[0], WAIT);
                thrown.complete(null);
            }
            catch (RuntimeException ex) {
                thrown.complete(ex);
            }
        });
        assertThat(this.blockedStarted.await(30, TimeUnit.SECONDS)).isTrue();
        this.pair.host.close(Duration.ZERO);
        assertThat(thrown.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(RapaceException.class,
                ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.SESSION_CLOSED));
    }

    @Test
    void deadlineExceededCancelsTheServerAndLeaksNothing() throws Exception {
        long start = System.nanoTime();
        RapaceException ex = failure(this.pair.host.call(BLOCK, new byte[0], Duration.ofMillis(200)));
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertServerSawTheCancelAndNothingLeaked();
        // The session still works after the timeout.
        assertThat(this.pair.host.call(ECHO, new byte[] {1}, null).join()).containsExactly(1);
    }

    @Test
    void streamDeadlineCoversTheWholeStreamAndCancelsTheProducer() {
        this.pair.pluginHandlers.put(11, call -> {
            call.onCancel(() -> this.blockedSawCancel.set(true));
            call.sendItem(new byte[] {1});
            this.release.await();
        });
        List<byte[]> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> this.pair.host.callStreaming(11, new byte[0], Duration.ofMillis(300))
                .doOnNext(seen::add).blockLast(WAIT))
                .isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(seen).hasSize(1);
        await().atMost(WAIT).untilTrue(this.blockedSawCancel);
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    @Test
    void requestCarriesAMonotonicDeadlineToTheHandler() {
        this.pair.pluginHandlers.put(10, call -> call.respond(Long.toString(call.deadlineNs()).getBytes(StandardCharsets.UTF_8)));
        long before = System.nanoTime();
        long deadline = Long.parseLong(new String(this.pair.host.call(10, new byte[0], Duration.ofSeconds(20)).join(),
                StandardCharsets.UTF_8));
        assertThat(deadline).isNotEqualTo(DescriptorLayout.NO_DEADLINE)
                .isBetween(before + TimeUnit.SECONDS.toNanos(20), System.nanoTime() + TimeUnit.SECONDS.toNanos(20));
    }

    @Test
    void slowHandlerDoesNotBlockAFastCall() throws Exception {
        CompletableFuture<byte[]> slow = this.pair.host.call(BLOCK, new byte[0], null);
        assertThat(this.blockedStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(this.pair.host.call(ECHO, new byte[] {42}, null).get(30, TimeUnit.SECONDS)).containsExactly(42);
        assertThat(slow).isNotDone();
        // The echo's answer can reach the host before its handler thread has counted the call ended.
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.pair.plugin.activeServerCalls()).isEqualTo(1));
        this.release.countDown();
        assertThat(slow.get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("late");
    }

    @Test
    void pingIsAnsweredWithPong() {
        Duration roundTrip = this.pair.host.ping(WAIT).join();
        assertThat(roundTrip).isPositive();
        assertThat(this.pair.plugin.ping(WAIT).join()).isPositive();
    }

    @Test
    void closeFailsPendingCallsWithSessionClosed() throws Exception {
        CompletableFuture<byte[]> pending = this.pair.host.call(BLOCK, new byte[0], null);
        assertThat(this.blockedStarted.await(30, TimeUnit.SECONDS)).isTrue();
        this.pair.host.close(Duration.ZERO);
        assertThat(failure(pending).errorCode()).isEqualTo(ErrorCode.SESSION_CLOSED);
        assertThat(this.pair.host.state()).isEqualTo(SessionState.CLOSED);
        assertThat(this.pair.host.closeFuture()).isCompleted().isNotCompletedExceptionally();
        assertThat(this.pair.host.transport().isClosed()).isTrue();
        assertThat(failure(this.pair.host.call(ECHO, new byte[0], null)).errorCode()).isEqualTo(ErrorCode.SESSION_CLOSED);
        assertThat(this.pair.host.pendingCalls()).isZero();
        this.pair.host.close();
        assertThat(liveThreads("rapace-session-rx-host-session.shm")).isZero();
        await().atMost(WAIT).until(() -> liveThreads("rapace-session-deadlines-host-session.shm") == 0);
        assertThat(liveThreads("rapace-session-rx-plugin-session.shm")).isEqualTo(1);
    }

    private static long liveThreads(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
    }

    @Test
    void closeWaitsForInFlightHandlersAndRefusesNewRequests() throws Exception {
        CompletableFuture<byte[]> inFlight = this.pair.plugin.call(BLOCK, new byte[0], null);
        assertThat(this.blockedStarted.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> this.pair.host.close(WAIT));
        await().atMost(WAIT).until(() -> this.pair.host.state() == SessionState.CLOSING);
        RapaceException refused = failure(this.pair.plugin.call(ECHO, new byte[0], null));
        assertThat(refused.errorCode()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(closing).isNotDone();
        this.release.countDown();
        assertThat(inFlight.get(30, TimeUnit.SECONDS)).asString(StandardCharsets.UTF_8).isEqualTo("late");
        closing.get(30, TimeUnit.SECONDS);
        assertThat(this.pair.host.state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void manyConcurrentCallersAllGetTheirOwnAnswers() throws Exception {
        int callers = 8;
        int perCaller = 12_500;
        int window = 32;
        List<CompletableFuture<Void>> done = new java.util.ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int caller = c;
            RpcSession session = caller % 2 == 0 ? this.pair.host : this.pair.plugin;
            done.add(CompletableFuture.runAsync(() -> runCaller(session, caller, perCaller, window),
                    java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertThat(this.pair.plugin.pendingCalls()).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(this.pair.host.transport().stats().slotsInUse()).isZero();
            assertThat(this.pair.host.transport().stats().invalidFrames()).isZero();
            assertThat(this.pair.plugin.transport().stats().invalidFrames()).isZero();
        });
    }

    private static void runCaller(RpcSession session, int caller, int calls, int window) {
        java.util.concurrent.Semaphore permits = new java.util.concurrent.Semaphore(window);
        java.util.concurrent.atomic.AtomicReference<Throwable> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        for (int i = 0; i < calls && firstError.get() == null; i++) {
            permits.acquireUninterruptibly();
            byte[] request = java.nio.ByteBuffer.allocate(8).putInt(caller).putInt(i).array();
            session.call(ECHO, request, null).whenComplete((response, ex) -> {
                if (ex != null) {
                    firstError.compareAndSet(null, ex);
                }
                else if (!java.util.Arrays.equals(response, request)) {
                    firstError.compareAndSet(null, new AssertionError("caller " + caller + " got a foreign answer"));
                }
                permits.release();
            });
        }
        permits.acquireUninterruptibly(window);
        if (firstError.get() != null) {
            throw new IllegalStateException(firstError.get());
        }
    }

    static RapaceException failure(CompletableFuture<?> future) {
        try {
            future.get(60, TimeUnit.SECONDS);
        }
        catch (java.util.concurrent.ExecutionException ex) {
            assertThat(ex.getCause()).isInstanceOf(RapaceException.class);
            return (RapaceException) ex.getCause();
        }
        catch (Exception ex) {
            throw new AssertionError("call did not fail in time", ex);
        }
        throw new AssertionError("call succeeded but was expected to fail");
    }

    /** The blocked handler observed the cancel; once released, no server call and no slot remain. */
    private void assertServerSawTheCancelAndNothingLeaked() {
        await().atMost(WAIT).untilTrue(this.blockedSawCancel);
        this.release.countDown();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(this.pair.plugin.activeServerCalls()).isZero();
            assertThat(this.pair.host.transport().stats().slotsInUse()).isZero();
        });
    }
}
