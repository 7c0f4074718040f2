package io.rapace.core.session;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.FrameFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ServerCallsTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private final RecordingSender sender = new RecordingSender(4096);

    private final SessionStatus status = new SessionStatus("test session");

    private final List<ErrorCode> outcomes = new CopyOnWriteArrayList<>();

    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

    private final CountDownLatch release = new CountDownLatch(1);

    private final ServerCalls calls = new ServerCalls(this.sender, methodId -> switch (methodId) {
        case 1 -> call -> call.respond(call.requestPayload());
        case 2 -> call -> this.release.await();
        case 3 -> throw new IllegalStateException("registry broken");
        default -> null;
    }, this.status, new SessionObserver() {
        @Override
        public void onServerCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
            ServerCallsTest.this.outcomes.add(outcome);
        }
    }, this.handlers, Runnable::run);

    @AfterEach
    void stop() {
        this.release.countDown();
        this.handlers.shutdownNow();
    }

    @Test
    void requestRunsItsHandlerAndIsAnsweredOnItsChannel() {
        this.calls.onFrame(TestFrame.of(2, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[] {4}));
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> this.sender.sent.size() == 1);
        assertThat(this.sender.sent.getFirst().channelId()).isEqualTo(2);
        assertThat(this.sender.sent.getFirst().payload()).containsExactly(4);
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> this.calls.size() == 0);
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void aReusedBlockingCallIsHandedToItsHandlerThreadWithTheSameTaskEachTime() {
        List<Runnable> tasks = new CopyOnWriteArrayList<>();
        ExecutorService recording = new AbstractExecutorService() {

            @Override
            public void execute(Runnable task) {
                tasks.add(task);
                ServerCallsTest.this.handlers.execute(task);
            }

            @Override
            public void shutdown() {
                ServerCallsTest.this.handlers.shutdown();
            }

            @Override
            public List<Runnable> shutdownNow() {
                return ServerCallsTest.this.handlers.shutdownNow();
            }

            @Override
            public boolean isShutdown() {
                return ServerCallsTest.this.handlers.isShutdown();
            }

            @Override
            public boolean isTerminated() {
                return ServerCallsTest.this.handlers.isTerminated();
            }

            @Override
            public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
                return ServerCallsTest.this.handlers.awaitTermination(timeout, unit);
            }
        };
        MethodHandler keepsNothing = new MethodHandler() {
            @Override
            public void handle(ServerCall call) {
                call.respond(call.requestPayload());
            }

            @Override
            public boolean keepsCallAfterReturn() {
                return false;
            }
        };
        ServerCalls reusing = new ServerCalls(this.sender, methodId -> keepsNothing, this.status, SessionObserver.NONE,
                recording, Runnable::run);
        int requests = 40;

        for (int i = 0; i < requests; i++) {
            reusing.onFrame(TestFrame.of(2 + 2 * i, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[] {(byte) i}));
            int answered = i + 1;
            await().atMost(java.time.Duration.ofSeconds(30)).until(() -> this.sender.sent.size() == answered
                    && reusing.size() == 0);
            assertThat(this.sender.sent.get(i).payload()).as("answer %d", i).containsExactly(i);
        }

        assertThat(tasks).as("every request handed off").hasSize(requests);
        Set<Runnable> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        distinct.addAll(tasks);
        assertThat(distinct).as("tasks for %d requests, one after another, to a handler that keeps nothing", requests)
                .hasSizeLessThan(requests / 2);
    }

    @Test
    void unknownMethodIsUnimplemented() {
        this.calls.onFrame(TestFrame.of(2, 9, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        assertThat(ErrorPayload.decode(this.sender.sent.getFirst().payload()))
                .isEqualTo(ErrorPayload.of(ErrorCode.UNIMPLEMENTED, "Unknown method_id: 9"));
        assertThat(this.outcomes).containsExactly(ErrorCode.UNIMPLEMENTED);
    }

    @Test
    void failingDispatcherIsInternalAndTheLoopGoesOn() {
        this.calls.onFrame(TestFrame.of(2, 3, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        ErrorPayload error = ErrorPayload.decode(this.sender.sent.getFirst().payload());
        assertThat(error.rawCode()).isEqualTo(ErrorCode.INTERNAL.code());
        assertThat(error.message()).contains("registry broken");
        assertThat(this.logs.messages()).singleElement().asString()
                .startsWith("dispatcher failed to look up method 3").contains("registry broken");
    }

    @Test
    void requestsWhileClosingAreUnavailable() {
        this.status.transition(SessionState.OPEN, SessionState.CLOSING);
        this.calls.onFrame(TestFrame.of(2, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        assertThat(ErrorPayload.decode(this.sender.sent.getFirst().payload()).rawCode()).isEqualTo(ErrorCode.UNAVAILABLE.code());
        assertThat(this.calls.size()).isZero();
    }

    @Test
    void framesWithoutDataAndCancelsOfNothingAreIgnored() {
        this.calls.onFrame(TestFrame.of(2, 1, FrameFlags.EOS, new byte[0]));
        this.calls.onFrame(TestFrame.of(4, 0, FrameFlags.CANCEL, new byte[0]));
        this.calls.cancel(6);
        assertThat(this.sender.sent).isEmpty();
        assertThat(this.calls.size()).isZero();
    }

    @Test
    void extraDataOnARunningCallIsIgnoredAndCancelEndsIt() throws Exception {
        this.calls.onFrame(TestFrame.of(2, 2, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        this.calls.onFrame(TestFrame.of(2, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        assertThat(this.calls.size()).isEqualTo(1);
        this.calls.onFrame(TestFrame.of(2, 0, FrameFlags.CANCEL, new byte[0]));
        this.release.countDown();
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> this.calls.size() == 0);
        assertThat(this.sender.sent).isEmpty();
        assertThat(this.outcomes).containsExactly(ErrorCode.CANCELLED);
    }

    @Test
    void drainWaitsForHandlersAndAbortCancelsTheRest() throws Exception {
        this.calls.onFrame(TestFrame.of(2, 2, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        assertThat(this.calls.drain(java.time.Duration.ofMillis(50))).isFalse();
        this.calls.abortAll();
        assertThat(this.calls.size()).isZero();
        assertThat(this.handlers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(this.sender.sent).isEmpty();
    }
}
