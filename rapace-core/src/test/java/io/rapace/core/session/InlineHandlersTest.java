package io.rapace.core.session;

import java.util.concurrent.TimeUnit;

import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** What counts as a watched run's own time: the wall clock less the thread's wait for a core and the stolen time. */
class InlineHandlersTest {

    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    final InlineHandlers inline = new InlineHandlers();

    final MethodHandler handler = call -> { };

    @Test
    void aWatchedRunWhoseTimeTheHypervisorStoleIsNotCounted() {
        long stolenNow = StolenTime.sinceBoot();
        Assumptions.assumeTrue(stolenNow != StolenTime.UNKNOWN, "no /proc/stat here");
        long run = TimeUnit.MILLISECONDS.toNanos(15);
        this.inline.ranSlowUnwatched(this.handler, run);

        // As if 20 ms were stolen from the machine during the run: the stolen time read before it is 20 ms less.
        this.inline.ranWatched(this.handler, run, RunQueueWait.UNKNOWN, stolenNow - TimeUnit.MILLISECONDS.toNanos(20));

        assertThat(this.logs.messages()).noneMatch((message) -> message.contains("is non-blocking but ran"));
    }

    @Test
    void aWatchedRunSlowByItsOwnDoingIsReported() {
        // Long enough that a tick of time stolen between the two readings (10 ms) leaves it slow.
        long run = TimeUnit.MILLISECONDS.toNanos(40);
        this.inline.ranSlowUnwatched(this.handler, run);

        this.inline.ranWatched(this.handler, run, RunQueueWait.UNKNOWN, StolenTime.sinceBoot());

        assertThat(this.logs.messages()).anyMatch((message) -> message.contains("is non-blocking but ran"));
    }
}
