package io.rapace.core.session;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.FrameFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboundCallTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    private final RecordingSender sender = new RecordingSender(64);

    private final List<ErrorCode> outcomes = new CopyOnWriteArrayList<>();

    private final AtomicInteger sendFailures = new AtomicInteger();

    private final InboundCall.Listener listener = new InboundCall.Listener() {
        @Override
        public void onEnded(InboundCall call, ErrorCode outcome) {
            InboundCallTest.this.outcomes.add(outcome);
        }

        @Override
        public void onResponseSendFailed(InboundCall call, RapaceException failure) {
            InboundCallTest.this.sendFailures.incrementAndGet();
        }
    };

    private final InboundCall call = new InboundCall(this.sender, this.listener, Runnable::run, 7, 99, new byte[] {1}, 1234L);

    @Test
    void respondSendsDataEosWithMethodZeroOnTheCallsChannel() {
        this.call.respond(new byte[] {4, 2});
        assertThat(this.sender.sent).singleElement().satisfies(sent -> {
            assertThat(sent.channelId()).isEqualTo(7);
            assertThat(sent.methodId()).isZero();
            assertThat(sent.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS);
            assertThat(sent.payload()).containsExactly(4, 2);
        });
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
        assertThat(this.call.isEnded()).isTrue();
    }

    @Test
    void streamSendsItemsThenEosAlone() {
        this.call.sendItem(new byte[] {1});
        this.call.sendItem(new byte[0]);
        this.call.complete();
        assertThat(this.sender.sent).extracting(RecordingSender.Sent::flags)
                .containsExactly(FrameFlags.DATA, FrameFlags.DATA, FrameFlags.EOS);
        assertThat(this.sender.sent.get(2).payload()).isEmpty();
    }

    @Test
    void failSendsTheErrorPayload() {
        this.call.fail(ErrorCode.NOT_FOUND, "no such user");
        RecordingSender.Sent sent = this.sender.sent.getFirst();
        assertThat(sent.flags()).isEqualTo(FrameFlags.ERROR | FrameFlags.EOS);
        assertThat(ErrorPayload.decode(sent.payload())).isEqualTo(ErrorPayload.of(ErrorCode.NOT_FOUND, "no such user"));
        assertThat(this.outcomes).containsExactly(ErrorCode.NOT_FOUND);
    }

    @Test
    void secondEndingAndLateItemsAreRejected() {
        this.call.respond(new byte[0]);
        assertThatThrownBy(() -> this.call.respond(new byte[0])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel 7").hasMessageContaining("already ended");
        assertThatThrownBy(() -> this.call.sendItem(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(this.call::complete).isInstanceOf(IllegalStateException.class);
        assertThat(this.sender.sent).hasSize(1);
    }

    @Test
    void failWithOkIsRejected() {
        assertThatThrownBy(() -> this.call.fail(ErrorCode.OK, "fine")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handlerReturningWithoutAnsweringIsInternal() {
        this.call.afterHandler(null);
        assertThat(ErrorPayload.decode(this.sender.sent.getFirst().payload()))
                .isEqualTo(ErrorPayload.of(ErrorCode.INTERNAL, "handler did not answer"));
    }

    @Test
    void handlerThrowingRapaceExceptionKeepsItsCode() {
        this.call.afterHandler(new RapaceException(ErrorCode.PERMISSION_DENIED, "nope"));
        assertThat(ErrorPayload.decode(this.sender.sent.getFirst().payload()))
                .isEqualTo(ErrorPayload.of(ErrorCode.PERMISSION_DENIED, "nope"));
    }

    @Test
    void handlerThrowingAnythingElseIsInternalWithItsMessage() {
        this.call.afterHandler(new IllegalStateException("boom"));
        assertThat(ErrorPayload.decode(this.sender.sent.getFirst().payload()))
                .isEqualTo(ErrorPayload.of(ErrorCode.INTERNAL, "boom"));
    }

    @Test
    void handlerThrowingAfterAnsweringSendsNothingMore() {
        this.call.respond(new byte[] {1});
        this.call.afterHandler(new IllegalStateException("late"));
        assertThat(this.sender.sent).hasSize(1);
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void cancelRunsActionsOnceAndSilencesTheCall() {
        AtomicInteger runs = new AtomicInteger();
        this.call.onCancel(runs::incrementAndGet);
        this.call.cancel();
        this.call.cancel();
        assertThat(runs).hasValue(1);
        assertThat(this.call.isCancelled()).isTrue();
        this.call.sendItem(new byte[] {1});
        this.call.complete();
        assertThat(this.sender.sent).isEmpty();
        assertThat(this.outcomes).containsExactly(ErrorCode.CANCELLED);
        this.call.onCancel(runs::incrementAndGet);
        assertThat(runs).hasValue(2);
    }

    @Test
    void handlerReturningAfterCancelSendsNothing() {
        this.call.cancel();
        this.call.afterHandler(null);
        assertThat(this.sender.sent).isEmpty();
        assertThat(this.outcomes).containsExactly(ErrorCode.CANCELLED);
    }

    @Test
    void oversizedResponseBecomesResourceExhausted() {
        this.call.respond(new byte[65]);
        RecordingSender.Sent sent = this.sender.sent.getFirst();
        assertThat(sent.flags()).isEqualTo(FrameFlags.ERROR | FrameFlags.EOS);
        ErrorPayload error = ErrorPayload.decode(sent.payload());
        assertThat(error.rawCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED.code());
        assertThat(sent.payload().length).isLessThanOrEqualTo(64);
        assertThat(this.logs.messages()).singleElement().asString()
                .contains("response of 65 bytes exceeds the slot size of 64 bytes");
    }

    @Test
    void failedAnswerIsCountedNotThrown() {
        this.sender.failWith = new RapaceException(ErrorCode.RESOURCE_EXHAUSTED, "ring full");
        this.call.respond(new byte[] {1});
        assertThat(this.sendFailures).hasValue(1);
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void failedItemIsThrownToTheProducer() {
        this.sender.failWith = new RapaceException(ErrorCode.RESOURCE_EXHAUSTED, "ring full");
        assertThatThrownBy(() -> this.call.sendItem(new byte[] {1})).isInstanceOf(RapaceException.class);
    }
}
