package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A host session against a plugin driven frame by frame, as the Rust reference would behave on the wire. */
class RawPeerTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    static final int ECHO = 11;

    static final int WAIT_FOR_CANCEL = 12;

    @TempDir
    Path dir;

    final Map<Integer, MethodHandler> handlers = new ConcurrentHashMap<>();

    final CountDownLatch cancelSeen = new CountDownLatch(1);

    RpcSession host;

    RawPeer plugin;

    @BeforeEach
    void start() {
        Path file = this.dir.resolve("raw.shm");
        ShmTransport hostTransport = ShmTransport.create(file, SessionPair.CONFIG, ShmOptions.defaults());
        this.plugin = new RawPeer(ShmTransport.open(file, ShmOptions.defaults()));
        this.handlers.put(ECHO, call -> call.respond(call.requestPayload()));
        this.handlers.put(WAIT_FOR_CANCEL, call -> {
            call.onCancel(this.cancelSeen::countDown);
            call.sendItem(new byte[] {1});
            while (!call.isCancelled()) {
                Thread.sleep(1);
            }
        });
        this.host = RpcSession.start(hostTransport, SessionOptions.defaults().withDispatcher(this.handlers::get));
    }

    @AfterEach
    void stop() {
        this.host.close(Duration.ZERO);
        this.plugin.transport.close();
    }

    @Test
    void requestIsDataEosWithMethodIdAndDeadlineOnAnOddChannel() {
        CompletableFuture<byte[]> future = this.host.call(77, new byte[] {1, 2}, null);
        RawPeer.Received request = this.plugin.next(WAIT);
        assertThat(request.channelId()).isEqualTo(1);
        assertThat(request.methodId()).isEqualTo(77);
        assertThat(request.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS);
        assertThat(request.deadlineNs()).isNotEqualTo(DescriptorLayout.NO_DEADLINE);
        assertThat(request.payload()).containsExactly(1, 2);
        this.plugin.send(1, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {3});
        assertThat(future.join()).containsExactly(3);
        CompletableFuture<byte[]> second = this.host.call(77, new byte[0], null);
        assertThat(this.plugin.next(WAIT).channelId()).isEqualTo(3);
        this.plugin.send(3, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[0]);
        assertThat(second.join()).isEmpty();
    }

    @Test
    void streamEndingWithAFinalDataEosYieldsThatItem() {
        CompletableFuture<List<byte[]>> items = this.host.callStreaming(5, new byte[0], null).collectList().toFuture();
        RawPeer.Received request = this.plugin.next(WAIT);
        this.plugin.send(request.channelId(), 0, FrameFlags.DATA, new byte[] {1});
        this.plugin.send(request.channelId(), 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {2});
        assertThat(items.join()).extracting(item -> (int) item[0]).containsExactly(1, 2);
    }

    @Test
    void lateAnswerAfterTheDeadlineIsDroppedAndItsSlotFreed() {
        CompletableFuture<byte[]> future = this.host.call(ECHO, new byte[0], Duration.ofMillis(100));
        RawPeer.Received request = this.plugin.next(WAIT);
        assertThat(RpcSessionTest.failure(future).errorCode()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
        RawPeer.Received cancel = this.plugin.next(WAIT);
        assertThat(cancel.channelId()).isEqualTo(request.channelId());
        assertThat(cancel.flags()).isEqualTo(FrameFlags.CANCEL);
        RawPeer.Received cancelChannel = this.plugin.next(WAIT);
        assertThat(cancelChannel.channelId()).isZero();
        assertThat(cancelChannel.methodId()).isEqualTo(ControlVerbs.CANCEL_CHANNEL);
        assertThat(cancelChannel.has(FrameFlags.CONTROL)).isTrue();
        assertThat(cancelChannel.has(FrameFlags.DATA)).isFalse();
        assertThat(cancelChannel.payload()).isEqualTo(ControlVerbs.encodeCancelChannel(request.channelId(), 1));
        // A late answer large enough to need a slot.
        this.plugin.send(request.channelId(), 0, FrameFlags.DATA | FrameFlags.EOS, new byte[1000]);
        await().atMost(WAIT).untilAsserted(() -> assertThat(this.plugin.transport.stats().slotsInUse()).isZero());
        assertThat(this.host.state()).isEqualTo(SessionState.OPEN);
        assertThat(this.host.pendingCalls()).isZero();
    }

    @Test
    void malformedErrorPayloadIsDataLoss() {
        CompletableFuture<byte[]> future = this.host.call(ECHO, new byte[0], null);
        RawPeer.Received request = this.plugin.next(WAIT);
        this.plugin.send(request.channelId(), 0, FrameFlags.ERROR | FrameFlags.EOS, new byte[] {1, 0, 0, 0, 50, 0, 0, 0, 65});
        RapaceException ex = RpcSessionTest.failure(future);
        assertThat(ex.errorCode()).isEqualTo(ErrorCode.DATA_LOSS);
        assertThat(ex).hasMessageContaining("message_len=50");
    }

    @Test
    void pingIsAnsweredWithPongEchoingThePayload() {
        byte[] ping = {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF, (byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE};
        this.plugin.send(0, ControlVerbs.PING, FrameFlags.CONTROL | FrameFlags.EOS, ping);
        RawPeer.Received pong = this.plugin.next(WAIT);
        assertThat(pong.channelId()).isZero();
        assertThat(pong.methodId()).isEqualTo(ControlVerbs.PONG);
        assertThat(pong.flags()).isEqualTo(FrameFlags.CONTROL | FrameFlags.EOS);
        assertThat(pong.payload()).isEqualTo(ping);
    }

    @Test
    void strayFramesAreIgnoredWithoutAnAnswer() {
        this.plugin.send(0, ControlVerbs.GRANT_CREDITS, FrameFlags.CONTROL | FrameFlags.CREDITS, new byte[] {3, 1, 8});
        this.plugin.send(9, 0, FrameFlags.DATA | FrameFlags.EOS, new byte[] {1});   // answer to a call we never made
        this.plugin.send(2, 0, FrameFlags.EOS, new byte[0]);                          // no DATA on the peer's channel
        this.plugin.send(4, 0, FrameFlags.CANCEL, new byte[0]);                       // cancel of nothing
        this.plugin.send(0, ControlVerbs.PING, FrameFlags.CONTROL, new byte[8]);
        RawPeer.Received first = this.plugin.next(WAIT);
        assertThat(first.methodId()).isEqualTo(ControlVerbs.PONG);
        assertThat(this.host.state()).isEqualTo(SessionState.OPEN);
        assertThat(this.host.activeServerCalls()).isZero();
    }

    @Test
    void requestFromTheReferenceStyleClientIsAnswered() {
        this.plugin.send(2, ECHO, FrameFlags.DATA | FrameFlags.EOS, new byte[] {7, 7});
        RawPeer.Received answer = this.plugin.next(WAIT);
        assertThat(answer.channelId()).isEqualTo(2);
        assertThat(answer.methodId()).isZero();
        assertThat(answer.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS);
        assertThat(answer.deadlineNs()).isEqualTo(DescriptorLayout.NO_DEADLINE);
        assertThat(answer.payload()).containsExactly(7, 7);

        this.plugin.send(4, 31337, FrameFlags.DATA | FrameFlags.EOS, new byte[0]);
        RawPeer.Received error = this.plugin.next(WAIT);
        assertThat(error.channelId()).isEqualTo(4);
        assertThat(error.flags()).isEqualTo(FrameFlags.ERROR | FrameFlags.EOS);
        assertThat(ErrorPayload.decode(error.payload())).isEqualTo(ErrorPayload.of(ErrorCode.UNIMPLEMENTED, "Unknown method_id: 31337"));
    }

    @Test
    void cancelChannelOnTheControlChannelCancelsTheServerCall() throws Exception {
        this.plugin.send(6, WAIT_FOR_CANCEL, FrameFlags.DATA | FrameFlags.EOS, new byte[0]);
        assertThat(this.plugin.next(WAIT).flags()).isEqualTo(FrameFlags.DATA);
        this.plugin.send(0, ControlVerbs.CANCEL_CHANNEL, FrameFlags.CONTROL | FrameFlags.EOS, ControlVerbs.encodeCancelChannel(6, 0));
        assertThat(this.cancelSeen.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> this.host.activeServerCalls() == 0);
        // Nothing more was sent on channel 6: the next frame is the answer to a ping.
        this.plugin.send(0, ControlVerbs.PING, FrameFlags.CONTROL, new byte[8]);
        assertThat(this.plugin.next(WAIT).methodId()).isEqualTo(ControlVerbs.PONG);
    }

    @Test
    void cancelFlagOnTheChannelCancelsTheServerCall() throws Exception {
        this.plugin.send(8, WAIT_FOR_CANCEL, FrameFlags.DATA | FrameFlags.EOS, new byte[0]);
        assertThat(this.plugin.next(WAIT).flags()).isEqualTo(FrameFlags.DATA);
        this.plugin.send(8, 0, FrameFlags.CANCEL, new byte[0]);
        assertThat(this.cancelSeen.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> this.host.activeServerCalls() == 0);
    }
}
