package io.rapace.core.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.PeerRole;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ClientCallsTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private final RecordingSender sender = new RecordingSender(4096);

    private final SessionStatus status = new SessionStatus("test session");

    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1);

    private final List<ErrorCode> outcomes = new CopyOnWriteArrayList<>();

    private final ClientCalls calls = new ClientCalls(this.sender, new ChannelIds(PeerRole.HOST), this.status,
            new SessionObserver() {
                @Override
                public void onClientCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
                    ClientCallsTest.this.outcomes.add(outcome);
                }
            }, Runnable::run, this.deadlines, Runnable::run);

    ClientCallsTest() {
        this.deadlines.setRemoveOnCancelPolicy(true);
    }

    @AfterEach
    void stopTimers() {
        this.deadlines.shutdownNow();
    }

    @Test
    void unaryRequestIsDataEosWithMethodAndMonotonicDeadline() {
        long before = System.nanoTime();
        this.calls.unary(77, new byte[] {9}, LONG);
        RecordingSender.Sent request = this.sender.sent.getFirst();
        assertThat(request.channelId()).isEqualTo(1);
        assertThat(request.methodId()).isEqualTo(77);
        assertThat(request.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS);
        assertThat(request.deadlineNs()).isBetween(before + LONG, System.nanoTime() + LONG);
        assertThat(request.payload()).containsExactly(9);
        assertThat(this.calls.size()).isEqualTo(1);
    }

    @Test
    void answerWhoseCopyFailsFailsTheCallInsteadOfLeavingTheCallerHanging() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                this.calls.unaryBlocking(1, new byte[0], LONG);
            }
            catch (Throwable ex) {
                thrown.set(ex);
            }
        });
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> this.calls.size() == 1);

        this.calls.onFrame(new UncopyableFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {5})));

        caller.join(java.time.Duration.ofSeconds(30));
        assertThat(caller.isAlive()).as("the caller returned").isFalse();
        assertThat(thrown.get()).isInstanceOfSatisfying(RapaceException.class, ex -> {
            assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(ex.getMessage()).contains("could not read").contains("mapping gone");
        });
        assertThat(this.calls.size()).isZero();
    }

    /** A frame whose payload cannot be copied out (the mapping went away meanwhile). */
    private record UncopyableFrame(TestFrame inner) implements io.rapace.transport.shm.Frame {

        @Override
        public long msgId() {
            return this.inner.msgId();
        }

        @Override
        public int channelId() {
            return this.inner.channelId();
        }

        @Override
        public int methodId() {
            return this.inner.methodId();
        }

        @Override
        public int flags() {
            return this.inner.flags();
        }

        @Override
        public long deadlineNs() {
            return this.inner.deadlineNs();
        }

        @Override
        public int payloadLength() {
            return this.inner.payloadLength();
        }

        @Override
        public byte[] payloadBytes() {
            throw new IllegalStateException("mapping gone");
        }

        @Override
        public void copyPayload(byte[] dst, int dstOffset) {
            throw new IllegalStateException("mapping gone");
        }

        @Override
        public java.lang.foreign.MemorySegment payload() {
            throw new IllegalStateException("mapping gone");
        }

        @Override
        public boolean hasFlag(int flag) {
            return this.inner.hasFlag(flag);
        }
    }

    @Test
    void streamItemThatCannotBeDecodedFailsTheStreamAndCancelsTheCall() {
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        this.calls.<byte[]>streaming(5, new byte[0], LONG, frame -> {
            throw new IllegalArgumentException("not an item");
        }).subscribe(item -> { }, failure::set);

        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA, new byte[] {1}));

        assertThat(failure.get()).isInstanceOfSatisfying(RapaceException.class, ex -> {
            assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(ex.getMessage()).contains("could not decode a stream item").contains("not an item");
        });
        assertThat(this.calls.size()).isZero();
        assertThat(this.sender.sent).anySatisfy(sent -> {
            assertThat(sent.channelId()).isEqualTo(1);
            assertThat(sent.flags()).isEqualTo(FrameFlags.CANCEL);
        });
    }

    @Test
    void dataEosAnswerCompletesTheCall() {
        CompletableFuture<byte[]> future = this.calls.unary(1, new byte[0], LONG);
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {5, 6}));
        assertThat(future).isCompletedWithValueMatching(bytes -> bytes.length == 2 && bytes[0] == 5);
        assertThat(this.calls.size()).isZero();
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void errorAnswerFailsWithThePeersCode() {
        CompletableFuture<byte[]> future = this.calls.unary(1, new byte[0], LONG);
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.ERROR | FrameFlags.EOS,
                ErrorPayload.of(ErrorCode.FAILED_PRECONDITION, "not ready").encode()));
        assertThat(failure(future).errorCode()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
        assertThat(failure(future)).hasMessage("not ready");
    }

    @Test
    void malformedErrorAnswerIsDataLoss() {
        CompletableFuture<byte[]> future = this.calls.unary(1, new byte[0], LONG);
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.ERROR | FrameFlags.EOS, new byte[] {1, 2}));
        assertThat(failure(future).errorCode()).isEqualTo(ErrorCode.DATA_LOSS);
    }

    @Test
    void framesWithoutDataEosOrErrorDoNotEndTheCall() {
        CompletableFuture<byte[]> future = this.calls.unary(1, new byte[0], LONG);
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.CREDITS, new byte[0]));
        assertThat(future).isNotDone();
        assertThat(this.calls.size()).isEqualTo(1);
    }

    @Test
    void deadlineFailsPromptlySendsCancelAndDropsTheLateAnswer() {
        CompletableFuture<byte[]> future = this.calls.unary(1, new byte[0], TimeUnit.MILLISECONDS.toNanos(50));
        await().atMost(Duration.ofSeconds(10)).until(future::isDone);
        assertThat(failure(future).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(this.calls.size()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.sender.sent.size() == 3);
        assertThat(this.sender.sent.get(1)).satisfies(cancel -> {
            assertThat(cancel.channelId()).isEqualTo(1);
            assertThat(cancel.flags()).isEqualTo(FrameFlags.CANCEL);
        });
        assertThat(this.sender.sent.get(2)).satisfies(cancel -> {
            assertThat(cancel.channelId()).isZero();
            assertThat(cancel.methodId()).isEqualTo(ControlVerbs.CANCEL_CHANNEL);
            assertThat(ControlVerbs.decodeCancelChannel(cancel.payload())).isEqualTo(1);
        });
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {1}));
        assertThat(this.outcomes).containsExactly(ErrorCode.DEADLINE_EXCEEDED);
    }

    @Test
    void oneTimerTaskCoversEveryCallAndTheEarliestDeadlineExpiresFirst() {
        CompletableFuture<byte[]> first = this.calls.unary(1, new byte[0], LONG);
        CompletableFuture<byte[]> second = this.calls.unary(1, new byte[0], LONG);
        assertThat(this.deadlines.getQueue()).hasSize(1);
        CompletableFuture<byte[]> shorter = this.calls.unary(1, new byte[0], TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(this.deadlines.getQueue()).hasSize(1);
        await().atMost(Duration.ofSeconds(30)).until(shorter::isDone);
        assertThat(failure(shorter).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(this.calls.size()).isEqualTo(2);
        // The sweep re-armed itself for the calls left.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(this.deadlines.getQueue()).hasSize(1));
    }

    @Test
    void failAllFailsEveryCallWithTheReason() {
        CompletableFuture<byte[]> first = this.calls.unary(1, new byte[0], LONG);
        CompletableFuture<byte[]> second = this.calls.unary(1, new byte[0], LONG);
        this.calls.failAll(new RapaceException(ErrorCode.PEER_DIED, "gone"));
        assertThat(failure(first).errorCode()).isEqualTo(ErrorCode.PEER_DIED);
        assertThat(failure(second).errorCode()).isEqualTo(ErrorCode.PEER_DIED);
        assertThat(this.calls.size()).isZero();
        assertThat(this.deadlines.getQueue()).isEmpty();
    }

    @Test
    void sendFailureFailsTheCall() {
        this.sender.failWith = new RapaceException(ErrorCode.RESOURCE_EXHAUSTED, "ring full");
        CompletableFuture<byte[]> future = this.calls.unary(1, new byte[0], LONG);
        assertThat(failure(future).errorCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(this.calls.size()).isZero();
    }

    @Test
    void aBlockingCallThatEndedBeforeItsCallerWaitedStillPassesThroughTheAnswerWait() {
        // The wait (the session's receive role) learns from it that the session has blocking callers: a session whose
        // first call was answered before its caller came to wait must not keep its idle loop holding the role.
        List<BlockingCall> waited = new CopyOnWriteArrayList<>();
        ClientCalls recorded = new ClientCalls(this.sender, new ChannelIds(PeerRole.HOST), this.status,
                SessionObserver.NONE, Runnable::run, this.deadlines, Runnable::run,
                (call, startNanos, deadline) -> waited.add(call) && call.isDone(), FutureLead.NONE,
                StreamDelivery.Linger.SPIN, SessionOptions.DEFAULT_MAX_BUFFERED_STREAM_ITEMS, new FullStreams(() -> { }));
        this.sender.failWith = new RapaceException(ErrorCode.RESOURCE_EXHAUSTED, "ring full");
        assertThatThrownBy(() -> recorded.unaryBlocking(1, new byte[0], LONG))
                .isInstanceOfSatisfying(RapaceException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
        assertThat(waited).as("the call, ended by its send, went through the wait").hasSize(1);
        assertThat(waited.getFirst().isDone()).isTrue();
    }

    @Test
    void callsAfterCloseFailAtOnce() {
        this.status.end(SessionState.CLOSED);
        assertThat(failure(this.calls.unary(1, new byte[0], LONG)).errorCode()).isEqualTo(ErrorCode.SESSION_CLOSED);
        Recorder closed = Recorder.subscribe(this.calls.streaming(1, new byte[0], LONG, ClientCalls::payloadOf));
        assertThat(((RapaceException) closed.error).errorCode()).isEqualTo(ErrorCode.SESSION_CLOSED);
        assertThat(this.sender.sent).isEmpty();
    }

    @Test
    void streamEndsWithEosAlone() {
        Recorder stream = Recorder.subscribe(this.calls.streaming(5, new byte[0], LONG, ClientCalls::payloadOf));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA, new byte[] {1}));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA, new byte[] {2}));
        assertThat(stream.completed).isFalse();
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.EOS, new byte[0]));
        assertThat(stream.items).containsExactly(List.of((byte) 1), List.of((byte) 2));
        assertThat(stream.completed).isTrue();
        assertThat(this.calls.size()).isZero();
    }

    @Test
    void streamAcceptsAFinalDataEosAsItemThenEnd() {
        Recorder stream = Recorder.subscribe(this.calls.streaming(5, new byte[0], LONG, ClientCalls::payloadOf));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA, new byte[] {1}));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {2}));
        assertThat(stream.items).containsExactly(List.of((byte) 1), List.of((byte) 2));
        assertThat(stream.completed).isTrue();
    }

    @Test
    void emptyDataEosEndsWithoutAnItem() {
        Recorder stream = Recorder.subscribe(this.calls.streaming(5, new byte[0], LONG, ClientCalls::payloadOf));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        assertThat(stream.items).isEmpty();
        assertThat(stream.completed).isTrue();
    }

    @Test
    void streamErrorEos() {
        Recorder stream = Recorder.subscribe(this.calls.streaming(5, new byte[0], LONG, ClientCalls::payloadOf));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA, new byte[] {1}));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.ERROR | FrameFlags.EOS,
                ErrorPayload.of(ErrorCode.ABORTED, "stopped").encode()));
        assertThat(stream.items).hasSize(1);
        assertThat(((RapaceException) stream.error).errorCode()).isEqualTo(ErrorCode.ABORTED);
        assertThat(stream.error).hasMessage("stopped");
        assertThat(this.calls.size()).isZero();
    }

    @Test
    void cancellingTheSubscriptionSendsCancelAndForgetsTheCall() {
        Disposable subscription = this.calls.streaming(5, new byte[0], LONG, ClientCalls::payloadOf).subscribe();
        assertThat(this.calls.size()).isEqualTo(1);
        subscription.dispose();
        assertThat(this.calls.size()).isZero();
        assertThat(this.sender.sent).extracting(RecordingSender.Sent::flags)
                .containsExactly(FrameFlags.DATA | FrameFlags.EOS, FrameFlags.CANCEL, FrameFlags.CONTROL);
        assertThat(this.outcomes).containsExactly(ErrorCode.CANCELLED);
        // Items still in flight are dropped without error.
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA, new byte[] {1}));
        assertThat(this.sender.sent.get(1).deadlineNs()).isEqualTo(DescriptorLayout.NO_DEADLINE);
    }

    @Test
    void cancellingAUnaryFutureSendsCancelAndDropsTheLateAnswer() {
        CompletableFuture<byte[]> future = this.calls.unary(5, new byte[0], LONG);
        assertThat(future.cancel(true)).isTrue();
        assertThat(this.calls.size()).isZero();
        assertThat(this.sender.sent).extracting(RecordingSender.Sent::flags)
                .containsExactly(FrameFlags.DATA | FrameFlags.EOS, FrameFlags.CANCEL, FrameFlags.CONTROL);
        assertThat(ControlVerbs.decodeCancelChannel(this.sender.sent.get(2).payload())).isEqualTo(1);
        assertThat(this.outcomes).containsExactly(ErrorCode.CANCELLED);
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {1}));
        assertThat(future).isCancelled();
        assertThat(this.outcomes).containsExactly(ErrorCode.CANCELLED);
    }

    @Test
    void cancellingAnAnsweredUnaryFutureSendsNothing() {
        CompletableFuture<byte[]> future = this.calls.unary(5, new byte[0], LONG);
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {1}));
        assertThat(future.cancel(true)).isFalse();
        assertThat(this.sender.sent).hasSize(1);
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void completedStreamSendsNoCancel() {
        Recorder stream = Recorder.subscribe(this.calls.streaming(5, new byte[0], LONG, ClientCalls::payloadOf));
        this.calls.onFrame(TestFrame.of(1, 0, FrameFlags.EOS, new byte[0]));
        assertThat(stream.completed).isTrue();
        assertThat(this.sender.sent).hasSize(1);
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    /** Subscribes with unbounded demand and records the signals (the test's executors are all direct). */
    static final class Recorder {

        final List<List<Byte>> items = new CopyOnWriteArrayList<>();

        volatile boolean completed;

        volatile Throwable error;

        static Recorder subscribe(Flux<byte[]> flux) {
            Recorder recorder = new Recorder();
            flux.subscribe(item -> {
                List<Byte> boxed = new java.util.ArrayList<>();
                for (byte b : item) {
                    boxed.add(b);
                }
                recorder.items.add(boxed);
            }, ex -> recorder.error = ex, () -> recorder.completed = true);
            return recorder;
        }
    }

    private static RapaceException failure(CompletableFuture<byte[]> future) {
        assertThat(future).isCompletedExceptionally();
        return (RapaceException) future.exceptionNow();
    }
}
