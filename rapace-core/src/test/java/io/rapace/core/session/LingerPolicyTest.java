package io.rapace.core.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Handler threads read for their next request while that pays, and try again now and then once it stopped paying. */
class LingerPolicyTest {

    final LingerPolicy policy = new LingerPolicy();

    @Test
    void startsEngagedSoThatTheFirstHandOffTries() {
        assertThat(this.policy.afterHandOff()).isTrue();
        assertThat(this.policy.shouldLinger()).isTrue();
    }

    @Test
    void aLingerThatTookNothingDisengagesAndOneHandOffInEveryProbePeriodTriesAgain() {
        this.policy.lingered(false);
        assertThat(this.policy.isEngaged()).isFalse();
        assertThat(this.policy.shouldLinger()).as("no probe granted yet").isFalse();
        int granted = 0;
        for (int i = 1; i <= 3 * LingerPolicy.PROBE_EVERY; i++) {
            if (this.policy.afterHandOff()) {
                granted++;
                assertThat(i % LingerPolicy.PROBE_EVERY).isZero();
                assertThat(this.policy.shouldLinger()).as("the probe's handler thread reads").isTrue();
                assertThat(this.policy.shouldLinger()).as("a probe is taken once").isFalse();
                this.policy.lingered(false);
            }
            else {
                assertThat(this.policy.shouldLinger()).isFalse();
            }
        }
        assertThat(granted).isEqualTo(3);
    }

    @Test
    void aLingerThatTookNothingAfterAStreakIsRiddenOutOnceAndTheNextOneDisengages() {
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < LingerPolicy.STREAK; i++) {
                this.policy.lingered(true);
            }
            this.policy.lingered(false);
            assertThat(this.policy.isEngaged()).as("an empty linger after %d that took", LingerPolicy.STREAK).isTrue();
        }
        for (int i = 1; i < LingerPolicy.STREAK; i++) {
            this.policy.lingered(true);
        }
        this.policy.lingered(false);

        assertThat(this.policy.isEngaged()).as("an empty linger after a shorter streak").isFalse();
        assertThat(this.policy.shouldLinger()).isFalse();
    }

    @Test
    void anEmptyLingerRightAfterARiddenOutOneDisengages() {
        for (int i = 0; i < LingerPolicy.STREAK; i++) {
            this.policy.lingered(true);
        }
        this.policy.lingered(false);
        this.policy.lingered(false);

        assertThat(this.policy.isEngaged()).isFalse();
    }

    @Test
    void aProbeThatTookARequestEngagesAgain() {
        this.policy.lingered(false);
        for (int i = 1; i < LingerPolicy.PROBE_EVERY; i++) {
            assertThat(this.policy.afterHandOff()).isFalse();
        }
        assertThat(this.policy.afterHandOff()).isTrue();
        assertThat(this.policy.shouldLinger()).isTrue();
        this.policy.lingered(true);
        assertThat(this.policy.isEngaged()).isTrue();
        assertThat(this.policy.afterHandOff()).isTrue();
        assertThat(this.policy.shouldLinger()).isTrue();
    }
}
