package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.FrameFlags;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdmissionTest {

    private final RecordingSender sender = new RecordingSender(64);

    private final InboundCall.Listener listener = new InboundCall.Listener() {
        @Override
        public void onEnded(InboundCall call, ErrorCode outcome) {
        }

        @Override
        public void onResponseSendFailed(InboundCall call, RapaceException failure) {
        }
    };

    /** The calls the holder made, in order. */
    private final List<InboundCall> heldCalls = new ArrayList<>();

    private final AtomicBoolean repliesFull = new AtomicBoolean();

    private final AtomicInteger resumed = new AtomicInteger();

    private final Admission admission = new Admission(2, 2, this.repliesFull::get, (channel, method, frame) -> {
        InboundCall call = call(channel);
        this.heldCalls.add(call);
        return call;
    });

    @Test
    void startsUpToMaxActiveThenHoldsUpToMaxHeldThenRefuses() {
        InboundCall first = startNow(2);
        InboundCall second = startNow(4);
        assertThat(first.counted).isTrue();
        assertThat(this.admission.isHolding()).as("both places taken").isTrue();

        assertThat(offer(6)).isEqualTo(Admission.Verdict.HELD);
        assertThat(offer(8)).isEqualTo(Admission.Verdict.HELD);
        assertThat(offer(10)).isEqualTo(Admission.Verdict.REFUSED);
        assertThat(this.admission.heldCount()).isEqualTo(2);
        assertThat(this.admission.refused()).isEqualTo(1);
        assertThat(this.heldCalls).extracting(InboundCall::channelId).containsExactly(6, 8);
        assertThat(this.heldCalls).noneMatch(call -> call.counted);

        assertThat(this.admission.release(second)).as("it was counted").isTrue();
        assertThat(second.counted).isFalse();
        InboundCall next = this.admission.nextHeld(this.resumed::incrementAndGet);
        assertThat(next).as("the first held, in arrival order").isSameAs(this.heldCalls.get(0));
        assertThat(next.counted).isTrue();
        assertThat(this.admission.nextHeld(this.resumed::incrementAndGet)).as("no place free").isNull();
        assertThat(this.resumed).as("still holding: one held, both places taken").hasValue(0);
    }

    @Test
    void theReaderResumesOnceTheLastHeldRequestStarted() {
        InboundCall first = startNow(2);
        startNow(4);
        assertThat(offer(6)).isEqualTo(Admission.Verdict.HELD);

        this.admission.release(first);
        assertThat(this.admission.nextHeld(this.resumed::incrementAndGet)).isSameAs(this.heldCalls.get(0));
        assertThat(this.admission.isHolding()).as("both places taken again").isTrue();
        assertThat(this.resumed).hasValue(0);

        this.admission.release(this.heldCalls.get(0));
        assertThat(this.admission.nextHeld(this.resumed::incrementAndGet)).isNull();
        assertThat(this.admission.isHolding()).isFalse();
        assertThat(this.resumed).as("told once, when the holding ended").hasValue(1);
        assertThat(offer(8)).isEqualTo(Admission.Verdict.START);
    }

    @Test
    void aHeldRequestThatEndsIsForgottenAndFreesNoPlace() {
        startNow(2);
        startNow(4);
        assertThat(offer(6)).isEqualTo(Admission.Verdict.HELD);
        assertThat(this.admission.release(this.heldCalls.get(0))).as("never counted").isFalse();
        assertThat(this.admission.heldCount()).isZero();
    }

    @Test
    void protocolRepliesFillingUpHoldRequestsAlthoughPlacesAreFree() {
        this.repliesFull.set(true);
        assertThat(offer(2)).isEqualTo(Admission.Verdict.HELD);
        assertThat(this.admission.nextHeld(this.resumed::incrementAndGet)).as("replies still full").isNull();
        this.repliesFull.set(false);
        assertThat(this.admission.nextHeld(this.resumed::incrementAndGet)).isSameAs(this.heldCalls.get(0));
        assertThat(this.resumed).hasValue(1);
    }

    @Test
    void aWithdrawnCallFreesItsPlaceOnce() {
        InboundCall first = startNow(2);
        startNow(4);
        this.admission.release(first);  // could not start: the session is closing
        this.admission.release(first);
        assertThat(first.counted).isFalse();
        assertThat(offer(6)).as("one place free, not two").isEqualTo(Admission.Verdict.START);
        startNow(6);
        assertThat(offer(8)).isEqualTo(Admission.Verdict.HELD);
    }

    @Test
    void aSessionWithoutAPlaceIsRefused() {
        assertThatThrownBy(() -> new Admission(0, 2, () -> false, (channel, method, frame) -> call(channel)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxActive must be at least 1, was 0");
    }

    @Test
    void whileTheRepliesFillUpEvenAnIdleSessionHolds() {
        this.repliesFull.set(true);
        assertThat(this.admission.isHolding()).as("nothing counted or held").isFalse();
        assertThat(offer(2)).isEqualTo(Admission.Verdict.HELD);
    }

    private InboundCall startNow(int channel) {
        assertThat(offer(channel)).isEqualTo(Admission.Verdict.START);
        InboundCall call = call(channel);
        this.admission.admit(call);
        return call;
    }

    private Admission.Verdict offer(int channel) {
        return this.admission.holdOrRefuse(channel, 1, TestFrame.of(channel, 1, FrameFlags.DATA | FrameFlags.EOS,
                new byte[0]));
    }

    private InboundCall call(int channel) {
        return new InboundCall(this.sender, this.listener, Runnable::run, channel, 1, new byte[0], 0L);
    }
}
