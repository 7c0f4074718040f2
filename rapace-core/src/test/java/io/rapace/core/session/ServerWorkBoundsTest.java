package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.rapace.core.ErrorCode;
import io.rapace.transport.shm.FrameFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A peer that sends faster than we can serve or answer cannot grow our threads and heap without bound. */
class ServerWorkBoundsTest {

    private final RecordingSender sender = new RecordingSender(4096);

    private final SessionStatus status = new SessionStatus("test session");

    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

    private final CountDownLatch release = new CountDownLatch(1);

    private final List<Runnable> deferred = new ArrayList<>();

    @AfterEach
    void stop() {
        this.release.countDown();
        this.handlers.shutdownNow();
    }

    @Test
    void requestsBeyondTheLimitAreHeldNotRefusedAndStartWhenAPlaceFreesUp() {
        ServerCalls calls = new ServerCalls(this.sender, methodId -> call -> {
            this.release.await();
            call.respond(new byte[] {(byte) call.channelId()});
        }, this.status, SessionObserver.NONE, this.handlers, Runnable::run, 2);

        for (int channel = 2; channel <= 8; channel += 2) {
            calls.onFrame(TestFrame.of(channel, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        }

        assertThat(calls.size()).isEqualTo(4);
        assertThat(calls.heldCount()).isEqualTo(2);
        assertThat(calls.isHolding()).as("takes no new requests: the reader stops reading").isTrue();
        assertThat(this.sender.sent).as("nothing refused").isEmpty();
        this.release.countDown();
        await().until(() -> calls.size() == 0);
        assertThat(this.sender.sent).extracting(RecordingSender.Sent::channelId).containsExactlyInAnyOrder(2, 4, 6, 8);
        assertThat(this.sender.sent).allSatisfy(sent -> assertThat(sent.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS));
        assertThat(calls.isHolding()).isFalse();
    }

    @Test
    void onlyRequestsBeyondTheHeldBoundAreRefused() {
        ServerCalls calls = new ServerCalls(this.sender, methodId -> call -> {
            this.release.await();
            call.respond(new byte[0]);
        }, this.status, SessionObserver.NONE, this.handlers, Runnable::run, 2, 1, () -> { });

        for (int channel = 2; channel <= 8; channel += 2) {
            calls.onFrame(TestFrame.of(channel, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        }

        assertThat(calls.heldCount()).isEqualTo(1);
        assertThat(this.sender.sent).singleElement().satisfies(sent -> {
            assertThat(sent.channelId()).isEqualTo(8);
            assertThat(sent.flags()).isEqualTo(FrameFlags.ERROR | FrameFlags.EOS);
            assertThat(ErrorPayload.decode(sent.payload()).toException().errorCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED);
        });
        this.release.countDown();
        await().until(() -> calls.size() == 0);
        assertThat(this.sender.sent).hasSize(4);
    }

    @Test
    void protocolRepliesThatFindNoRoomWaitAndFurtherRequestsAreHeldNotDropped() {
        this.sender.full = true;
        ServerCalls calls = new ServerCalls(this.sender, methodId -> null, this.status, SessionObserver.NONE,
                this.handlers, this.deferred::add);

        int flood = ProtocolReplies.MAX_DEFERRED + 50;
        for (int i = 0; i < flood; i++) {
            calls.onFrame(TestFrame.of(2 + 2 * i, 9, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));  // Unimplemented
        }

        assertThat(this.deferred).hasSize(ProtocolReplies.MAX_DEFERRED);
        assertThat(calls.heldCount()).isEqualTo(50);
        assertThat(calls.isHolding()).isTrue();
        assertThat(calls.responseSendFailures()).isZero();
        this.sender.full = false;
        this.deferred.forEach(Runnable::run);
        await().until(() -> this.sender.sent.size() == flood);
        assertThat(this.sender.sent).allSatisfy(sent ->
                assertThat(ErrorPayload.decode(sent.payload()).toException().errorCode()).isEqualTo(ErrorCode.UNIMPLEMENTED));
        assertThat(calls.responseSendFailures()).isZero();
    }
}
