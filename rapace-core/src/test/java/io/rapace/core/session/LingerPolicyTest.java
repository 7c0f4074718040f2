package io.rapace.core.session;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Handler threads read for their next request while that pays, and try again now and then once it stopped paying. */
class LingerPolicyTest {

    final LingerPolicy policy = new LingerPolicy();

    @Test
    void startsEngagedSoThatTheFirstHandOffTries() {
        assertThat(this.policy.afterHandOff()).isTrue();
        assertThat(this.policy.shouldLinger(false)).isTrue();
    }

    @Test
    void aLingerThatTookNothingDisengagesAndProbesComeAtGapsThatDoubleUpToTheLongest() {
        this.policy.lingered(false);
        assertThat(this.policy.isEngaged()).isFalse();
        assertThat(this.policy.shouldLinger(false)).as("a thread its hand-off did not tell to read").isFalse();

        List<Integer> gaps = probeGaps(12);

        assertThat(gaps).containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256, 256, 256, 256);
        assertThat(LingerPolicy.PROBE_EVERY).isEqualTo(256);
    }

    @Test
    void aProbeThatTookARequestEngagesAgainAndTheNextDisengagingStartsTheGapsAfresh() {
        this.policy.lingered(false);
        assertThat(probeGaps(5)).containsExactly(1, 2, 4, 8, 16);
        assertThat(this.policy.afterHandOff()).isFalse();

        this.policy.lingered(true);
        assertThat(this.policy.isEngaged()).isTrue();
        assertThat(this.policy.afterHandOff()).isTrue();
        assertThat(this.policy.shouldLinger(false)).isTrue();

        this.policy.lingered(false);
        assertThat(this.policy.isEngaged()).isFalse();
        assertThat(probeGaps(3)).containsExactly(1, 2, 4);
    }

    @Test
    void aThreadToldByItsHandOffReadsWhileDisengaged() {
        this.policy.lingered(false);

        assertThat(this.policy.shouldLinger(true)).isTrue();
        assertThat(this.policy.shouldLinger(false)).isFalse();
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
        assertThat(this.policy.shouldLinger(false)).isFalse();
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

    /** Hands off until {@code probes} probes were granted, each probe's linger taking nothing; the hand-offs per probe. */
    private List<Integer> probeGaps(int probes) {
        List<Integer> gaps = new ArrayList<>();
        int sinceLast = 0;
        while (gaps.size() < probes) {
            sinceLast++;
            if (this.policy.afterHandOff()) {
                gaps.add(sinceLast);
                sinceLast = 0;
                this.policy.lingered(false);
            }
        }
        return gaps;
    }
}
