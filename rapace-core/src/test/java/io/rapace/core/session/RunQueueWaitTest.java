package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** The current thread's wait for a core, read from Linux's schedstat line. */
class RunQueueWaitTest {

    @Test
    void theSecondFieldIsTheWait() {
        assertThat(runDelayOf("867392 1234 2\n")).isEqualTo(1234);
        assertThat(runDelayOf("1 0 0\n")).isZero();
        assertThat(runDelayOf("1 99")).isEqualTo(99);
    }

    @Test
    void anythingElseIsUnknown() {
        for (String text : new String[] {"", "\n", "12", "12 ", "12\n34 5", " 12 34 5", "12 x 5", "12 34x 5",
                "12 -3 4", "1 1234567890123456789 2"}) {
            assertThat(runDelayOf(text)).as("%s", text.replace("\n", "\\n"))
                    .isEqualTo(RunQueueWait.UNKNOWN);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aPlatformThreadOnLinuxReadsItsOwnWait() throws Exception {
        try (ProcFile waits = RunQueueWait.ofReadingThread()) {
            assertThat(waits.read()).isNotNegative();
            AtomicLong onVirtual = new AtomicLong();
            Thread.ofVirtual().start(() -> onVirtual.set(waits.read())).join();
            assertThat(onVirtual.get()).as("a virtual thread's carrier may change between readings")
                    .isEqualTo(RunQueueWait.UNKNOWN);
        }
    }

    /** Parses {@code text} from a longer array, as a reading does (its buffer is larger than the file). */
    private static long runDelayOf(String text) {
        byte[] bytes = (text + "9 9 9\n").getBytes(StandardCharsets.US_ASCII);
        return RunQueueWait.runDelayOf(bytes, text.length());
    }
}
