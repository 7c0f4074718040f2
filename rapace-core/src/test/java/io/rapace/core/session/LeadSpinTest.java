package io.rapace.core.session;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A leading caller's spin shortens only while its answers come right after it gave its core away and every core is
 * taken, and lengthens again when a core is free or an answer comes while it spins; a look that finds a core free
 * while they come so moves the caller to another CPU.
 */
class LeadSpinTest {

    private static final int CORES = 2;

    /** The machine's runnable tasks as the spin's looks find them. */
    private final AtomicInteger runnable = new AtomicInteger(CORES + 1);

    private final AtomicInteger looks = new AtomicInteger();

    /** Moves of the caller to another CPU that the spin asked for. */
    private final AtomicInteger movesAsked = new AtomicInteger();

    /** Whether the caller can be moved (the system calls are there, more than one CPU is allowed). */
    private volatile boolean movable = true;

    private final LeadSpin spin = new LeadSpin(() -> {
        this.looks.incrementAndGet();
        return this.runnable.get();
    }, () -> CORES, () -> {
        this.movesAsked.incrementAndGet();
        return this.movable;
    });

    @BeforeEach
    void firstCallOfThisThread() {
        // the counts are per calling thread: the first call of one is never counted
        this.spin.answered(Thread.currentThread().threadId(), false, false);
    }

    @Test
    void startsWithTheUsualSpinAndLooksAtNothingWhileAnswersComeWhileSpinning() {
        assertThat(this.spin.nanos()).isEqualTo(ReadTimings.LEAD_SPIN_NANOS);
        for (int call = 0; call < 10_000; call++) {
            this.spin.answered(Thread.currentThread().threadId(), false, false);
        }
        assertThat(this.spin.isShort()).isFalse();
        assertThat(this.looks).hasValue(0);
    }

    @Test
    void shortensOnceEnoughLooksInARowFoundEveryCoreTaken() {
        int calls = LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS;
        for (int call = 1; call < calls; call++) {
            this.spin.answered(Thread.currentThread().threadId(), true, true);
            assertThat(this.spin.isShort()).as("after %d such calls", call).isFalse();
        }
        this.spin.answered(Thread.currentThread().threadId(), true, true);
        assertThat(this.spin.nanos()).isEqualTo(LeadSpin.SHARED_SPIN_NANOS);
        assertThat(this.looks).hasValue(LeadSpin.CROWDED_LOOKS);
    }

    @Test
    void aLookThatFindsACoreFreeMovesTheCallerThereAndKeepsTheSpinLong() {
        this.runnable.set(CORES);  // the caller and the peer's thread share a core: the other one idles
        for (int call = 1; call < LeadSpin.LOOK_EVERY; call++) {
            this.spin.answered(Thread.currentThread().threadId(), true, true);
        }
        assertThat(this.movesAsked).as("before the look").hasValue(0);
        this.spin.answered(Thread.currentThread().threadId(), true, true);
        assertThat(this.movesAsked).hasValue(1);
        assertThat(this.spin.moves()).isEqualTo(1);
        answeredAfterGivingCore(99 * LeadSpin.LOOK_EVERY);
        assertThat(this.spin.isShort()).isFalse();
        assertThat(this.looks).hasValue(100);
        assertThat(this.spin.moves()).as("a move at each look while they share a core").isEqualTo(100);
    }

    @Test
    void aLookThatFindsEveryCoreTakenMovesNothing() {
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS * 3);
        assertThat(this.looks).hasValue(LeadSpin.CROWDED_LOOKS * 3);
        assertThat(this.movesAsked).hasValue(0);
    }

    @Test
    void aCallerThatCannotBeMovedIsCountedAsNotMovedAndKeepsTheLongSpin() {
        this.movable = false;
        this.runnable.set(CORES);
        answeredAfterGivingCore(3 * LeadSpin.LOOK_EVERY);
        assertThat(this.movesAsked).hasValue(3);
        assertThat(this.spin.moves()).isZero();
        assertThat(this.spin.isShort()).isFalse();
    }

    @Test
    void answersReadWhileSpinningNeverMoveTheCaller() {
        this.runnable.set(CORES);
        for (int call = 0; call < 10 * LeadSpin.LOOK_EVERY; call++) {
            this.spin.answered(Thread.currentThread().threadId(), true, call % 2 == 0);
            this.spin.answered(Thread.currentThread().threadId(), false, false);
        }
        assertThat(this.movesAsked).hasValue(0);
    }

    @Test
    void aLookThatFindsACoreFreeRestartsTheCount() {
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * (LeadSpin.CROWDED_LOOKS - 1));
        this.runnable.set(1);
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY);
        this.runnable.set(CORES + 1);
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * (LeadSpin.CROWDED_LOOKS - 1));
        assertThat(this.spin.isShort()).isFalse();
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY);
        assertThat(this.spin.isShort()).isTrue();
    }

    @Test
    void whileShortItLooksAgainAndLengthensWhenACoreIsFree() {
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS);
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * 10);
        assertThat(this.spin.isShort()).as("still every core taken").isTrue();
        this.runnable.set(CORES);
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY);
        assertThat(this.spin.nanos()).isEqualTo(ReadTimings.LEAD_SPIN_NANOS);
    }

    @Test
    void anAnswerReadWhileSpinningLengthensItAndRestartsTheCount() {
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS);
        assertThat(this.spin.isShort()).isTrue();
        this.spin.answered(Thread.currentThread().threadId(), false, false);
        assertThat(this.spin.nanos()).isEqualTo(ReadTimings.LEAD_SPIN_NANOS);
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS - 1);
        assertThat(this.spin.isShort()).isFalse();
    }

    @Test
    void answersAfterYieldsThatGaveNothingAwayChangeNothing() {
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY - 1);
        // a peer on another core, slow to answer: no sign either way
        this.spin.answered(Thread.currentThread().threadId(), true, false);
        answeredAfterGivingCore(1);
        assertThat(this.looks).as("the run of such calls went on").hasValue(1);
    }

    @Test
    void anotherCallersCallStartsTheCountAfreshAndLengthensTheSpin() {
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS - 1);
        long other = Thread.ofVirtual().unstarted(() -> { }).threadId();
        this.spin.answered(other, true, true);
        this.spin.answered(Thread.currentThread().threadId(), true, true);
        assertThat(this.spin.isShort()).isFalse();
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS);
        assertThat(this.spin.isShort()).isTrue();
        this.spin.answered(other, true, true);
        assertThat(this.spin.nanos()).isEqualTo(ReadTimings.LEAD_SPIN_NANOS);
    }

    @Test
    void anUnknownCountNeverShortensIt() {
        this.runnable.set(RunnableTasks.UNKNOWN);
        answeredAfterGivingCore(LeadSpin.LOOK_EVERY * LeadSpin.CROWDED_LOOKS * 4);
        assertThat(this.spin.isShort()).isFalse();
    }

    private void answeredAfterGivingCore(int calls) {
        for (int call = 0; call < calls; call++) {
            this.spin.answered(Thread.currentThread().threadId(), true, true);
        }
    }
}
