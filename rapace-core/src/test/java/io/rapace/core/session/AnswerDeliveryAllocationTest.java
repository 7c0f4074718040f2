package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.PeerRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the thread that reads an answer allocates to hand it to a future call's caller: the answer's copy out of
 * the frame, nothing per answer beyond it (no task object of its own for the callback executor).
 */
class AnswerDeliveryAllocationTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(30);

    private static final int CALLS = 5_000;

    /**
     * The one-byte answer's copy: 24 bytes (measured 24), with 8 to spare. A capturing lambda per answer for the
     * callback executor (24 bytes more: 48 measured before) breaks it.
     */
    private static final long BUDGET_BYTES_PER_ANSWER = 32;

    private final ScheduledThreadPoolExecutor deadlines = new ScheduledThreadPoolExecutor(1);

    private final RecordingSender sender = new RecordingSender(4096);

    private final ClientCalls calls = new ClientCalls(this.sender, new ChannelIds(PeerRole.HOST),
            new SessionStatus("allocation test session"), SessionObserver.NONE, Runnable::run, this.deadlines, Runnable::run);

    private final List<CompletableFuture<byte[]>> futures = new ArrayList<>(CALLS);

    @AfterEach
    void stopTimers() {
        this.deadlines.shutdownNow();
    }

    @Test
    void handingAnAnswerToAFutureCallAllocatesOnlyTheAnswersCopy() {
        answerRound();  // class loading, first-time paths
        List<TestFrame> answers = startCalls();
        long perAnswer = ThreadAllocation.bytesPerOperation(CALLS, () -> answers.forEach(this.calls::onFrame));

        assertThat(this.futures).allSatisfy(future -> assertThat(future.getNow(null)).containsExactly(5));
        assertThat(perAnswer).as("bytes allocated per answer handed to a future call").isLessThanOrEqualTo(BUDGET_BYTES_PER_ANSWER);
    }

    /** Starts {@link #CALLS} future calls and returns their answers, made beforehand so that they are not counted. */
    private List<TestFrame> startCalls() {
        this.futures.clear();
        this.sender.sent.clear();
        List<TestFrame> answers = new ArrayList<>(CALLS);
        for (int i = 0; i < CALLS; i++) {
            this.futures.add(this.calls.unary(7, new byte[] {1}, LONG));
        }
        for (RecordingSender.Sent request : this.sender.sent) {
            answers.add(TestFrame.of(request.channelId(), 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {5}));
        }
        return answers;
    }

    private void answerRound() {
        for (TestFrame answer : startCalls()) {
            this.calls.onFrame(answer);
        }
    }
}
