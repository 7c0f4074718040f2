package io.rapace.core.session;

import java.util.concurrent.TimeUnit;

import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as a watched run's own time: its CPU time when its thread never blocked; otherwise the wall clock less
 * the thread's wait for a core; nothing at all for a run during which the JVM collected garbage.
 * The readings before and after each run are made up here, so each case is exactly the one it names.
 */
class InlineHandlersTest {

    private static final long UNKNOWN = RunCounters.UNKNOWN;

    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    final InlineHandlers inline = new InlineHandlers();

    final MethodHandler handler = call -> { };

    /** By the wall clock: slow, over the 5 ms warning and under the 50 ms demotion. */
    final long slowRun = millis(40);

    /** Readings before a run: 1 s waited, 3 collections, 4 s of CPU, 5 voluntary switches. */
    final RunCounters before = new RunCounters(millis(1000), 3, millis(4000), 5);

    @Test
    void aWatchedRunWhoseThreadNeverBlockedCountsOnlyItsCpuTime() {
        // Preempted: 1 ms on a core, the rest of the 40 ms standing in line (10 ms of it seen) or descheduled by the
        // hypervisor.
        ranWatched(new RunCounters(millis(1010), 3, millis(4001), 5));

        assertNotReported();
    }

    @Test
    void aWatchedRunWhoseThreadNeverBlockedIsReportedWhenItsCpuTimeIsLong() {
        ranWatched(new RunCounters(millis(1000), 3, millis(4030), 5));

        assertReported();
    }

    @Test
    void aWatchedRunWhoseThreadBlockedCountsTheClockLessItsWaitForACore() {
        // 1 ms on a core, then a sleep: the handler's own doing.
        ranWatched(new RunCounters(millis(1000), 3, millis(4001), 6));

        assertReported();
    }

    @Test
    void aWatchedRunWhoseThreadBlockedAndThenWaitedForACoreIsNotCounted() {
        ranWatched(new RunCounters(millis(1038), 3, millis(4001), 6));

        assertNotReported();
    }

    @Test
    void aHandlerThatSleepsPastTheDemotionLimitCountsTowardsItsDemotion() {
        long sleeps = millis(InlineHandlers.DEMOTE_MILLIS + 5);
        for (int run = 0; run < InlineHandlers.SLOW_RUNS_ALLOWED; run++) {
            this.inline.ranSlowUnwatched(this.handler, sleeps);
            this.inline.ranWatched(this.handler, sleeps, this.before, new RunCounters(millis(1000), 3, millis(4000), 6));
        }

        assertThat(this.inline.allows(this.handler)).isFalse();
        assertThat(this.logs.messages()).anyMatch((message) -> message.contains("it now runs on handler threads"));
    }

    @Test
    void aWatchedRunDuringWhichTheJvmCollectedIsNotCounted() {
        ranWatched(new RunCounters(millis(1000), 4, millis(4030), 6));

        assertNotReported();
    }

    @Test
    void whereTheSwitchesCannotBeReadTheClockCounts() {
        this.inline.ranSlowUnwatched(this.handler, this.slowRun);

        this.inline.ranWatched(this.handler, this.slowRun, new RunCounters(millis(1000), 3, millis(4000), UNKNOWN),
                new RunCounters(millis(1000), 3, millis(4001), UNKNOWN));

        assertReported();
    }

    @Test
    void whereNothingCanBeReadTheClockCounts() {
        RunCounters unknown = new RunCounters(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN);
        this.inline.ranSlowUnwatched(this.handler, this.slowRun);

        this.inline.ranWatched(this.handler, this.slowRun, unknown, unknown);

        assertReported();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisThreadHasEveryReading() {
        RunCounters now = this.inline.countersNow();

        assertThat(now.waited()).isNotNegative();
        assertThat(now.collections()).isNotNegative();
        assertThat(now.cpu()).isPositive();
        assertThat(now.switches()).isNotNegative();
        assertThat(this.inline.countersNow().cpu()).isGreaterThanOrEqualTo(now.cpu());
    }

    /**
     * The readings of a watched run are taken on the ring's thread, whose calls allocate nothing: after the first, a
     * reading allocates its record only (48 bytes). Opening the two files anew at each reading allocated about 20 kB.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void aReadingByTheThreadThatReadLastAllocatesNoMoreThanItsRecord() {
        this.inline.countersNow();
        long[] sum = {0};

        long perReading = ThreadAllocation.bytesPerOperation(1_000, () -> {
            for (int i = 0; i < 1_000; i++) {
                sum[0] += this.inline.countersNow().switches();
            }
        });

        assertThat(sum[0]).as("every reading made").isPositive();
        assertThat(perReading).as("bytes allocated per reading").isLessThanOrEqualTo(48);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void onceClosedTheFilesAreNoLongerRead() {
        assertThat(this.inline.countersNow().switches()).isNotNegative();

        this.inline.close();

        RunCounters after = this.inline.countersNow();
        assertThat(after.waited()).as("wait for a core").isEqualTo(UNKNOWN);
        assertThat(after.switches()).as("voluntary switches").isEqualTo(UNKNOWN);
        assertThat(after.cpu()).as("CPU time, not a file").isPositive();
    }

    private void ranWatched(RunCounters after) {
        this.inline.ranSlowUnwatched(this.handler, this.slowRun);
        this.inline.ranWatched(this.handler, this.slowRun, this.before, after);
    }

    private void assertReported() {
        assertThat(this.logs.messages()).anyMatch((message) -> message.contains("is non-blocking but ran"));
    }

    private void assertNotReported() {
        assertThat(this.logs.messages()).noneMatch((message) -> message.contains("is non-blocking but ran"));
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }
}
