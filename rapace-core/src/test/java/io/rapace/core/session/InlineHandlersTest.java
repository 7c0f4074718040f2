package io.rapace.core.session;

import java.util.concurrent.TimeUnit;

import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What counts as a watched run's own time: the wall clock less the thread's wait for a core and the stolen time, and
 * nothing at all for a run during which the JVM collected garbage.
 */
class InlineHandlersTest {

    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    final InlineHandlers inline = new InlineHandlers();

    final MethodHandler handler = call -> { };

    /** Long enough that a tick of time stolen between two readings (10 ms) leaves it slow. */
    final long slowRun = TimeUnit.MILLISECONDS.toNanos(40);

    @Test
    void aWatchedRunWhoseTimeTheHypervisorStoleIsNotCounted() {
        long stolenNow = StolenTime.sinceBoot();
        Assumptions.assumeTrue(stolenNow != StolenTime.UNKNOWN, "no /proc/stat here");
        this.inline.ranSlowUnwatched(this.handler, this.slowRun);

        // As if 50 ms were stolen from the machine during the run: the stolen time read before it is 50 ms less.
        this.inline.ranWatched(this.handler, this.slowRun, new RunBaseline(RunQueueWait.UNKNOWN,
                stolenNow - TimeUnit.MILLISECONDS.toNanos(50), RunBaseline.collectionsSoFar()));

        assertThat(this.logs.messages()).noneMatch((message) -> message.contains("is non-blocking but ran"));
    }

    @Test
    void aWatchedRunDuringWhichTheJvmCollectedIsNotCounted() {
        long collections = RunBaseline.collectionsSoFar();
        Assumptions.assumeTrue(collections != RunBaseline.UNKNOWN, "this JVM counts no collections");
        this.inline.ranSlowUnwatched(this.handler, this.slowRun);

        // As if a collection happened during the run: the count read before it is one less.
        this.inline.ranWatched(this.handler, this.slowRun,
                new RunBaseline(RunQueueWait.UNKNOWN, StolenTime.sinceBoot(), collections - 1));

        assertThat(this.logs.messages()).noneMatch((message) -> message.contains("is non-blocking but ran"));
    }

    @Test
    void aWatchedRunSlowByItsOwnDoingIsReported() {
        this.inline.ranSlowUnwatched(this.handler, this.slowRun);

        this.inline.ranWatched(this.handler, this.slowRun, RunBaseline.now());

        assertThat(this.logs.messages()).anyMatch((message) -> message.contains("is non-blocking but ran"));
    }
}
