package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** The current thread's voluntary context switches, read from Linux's /proc/thread-self/status. */
class VoluntarySwitchesTest {

    private static final String STATUS = "Name:\tjava\nState:\tR (running)\nThreads:\t1\n"
            + "voluntary_ctxt_switches:\t1234\nnonvoluntary_ctxt_switches:\t56\n";

    @Test
    void theVoluntaryLineIsReadAndNotTheNonVoluntaryOne() {
        assertThat(countOf(STATUS)).isEqualTo(1234);
        assertThat(countOf("x\nnonvoluntary_ctxt_switches:\t56\nvoluntary_ctxt_switches: 7"))
                .isEqualTo(7);
        assertThat(countOf("x\nvoluntary_ctxt_switches:\t0\n")).isZero();
    }

    @Test
    void anythingElseIsUnknown() {
        for (String text : new String[] {"", "voluntary_ctxt_switches:\t5\n", "x\nnonvoluntary_ctxt_switches:\t5\n",
                "x\nvoluntary_ctxt_switches:\t\n", "x\nvoluntary_ctxt_switches:\t5x\n", "x\nvoluntary_ctxt_switches:\t-5\n",
                "x\nvoluntary_ctxt_switches:\t1234567890123456789\n", "x\nvoluntary_ctxt_switches"}) {
            assertThat(countOf(text)).as("%s", text.replace("\n", "\\n").replace("\t", "\\t"))
                    .isEqualTo(VoluntarySwitches.UNKNOWN);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aThreadThatSleepsSwitchesVoluntarilyAndAVirtualThreadHasNoReading() throws Exception {
        try (ProcFile switches = VoluntarySwitches.ofReadingThread()) {
            long before = switches.read();
            assertThat(before).isNotNegative();
            // A park returns at once while the thread holds a permit from an earlier unpark; the second one sleeps.
            for (int parks = 0; parks < 2; parks++) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            assertThat(switches.read()).isGreaterThan(before);

            AtomicLong onVirtual = new AtomicLong();
            Thread.ofVirtual().start(() -> onVirtual.set(switches.read())).join();
            assertThat(onVirtual.get()).isEqualTo(VoluntarySwitches.UNKNOWN);
        }
    }

    /** Parses {@code text} from a longer array, as a reading does (its buffer is larger than the file). */
    private static long countOf(String text) {
        byte[] bytes = (text + "1\nvoluntary_ctxt_switches:\t99\n").getBytes(StandardCharsets.US_ASCII);
        return VoluntarySwitches.countOf(bytes, text.length());
    }
}
