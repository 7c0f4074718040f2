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
        assertThat(RunQueueWait.runDelayOf(bytes("867392 1234 2\n"))).isEqualTo(1234);
        assertThat(RunQueueWait.runDelayOf(bytes("1 0 0\n"))).isZero();
        assertThat(RunQueueWait.runDelayOf(bytes("1 99"))).isEqualTo(99);
    }

    @Test
    void anythingElseIsUnknown() {
        for (String text : new String[] {"", "\n", "12", "12 ", "12\n34 5", " 12 34 5", "12 x 5", "12 34x 5",
                "12 -3 4", "1 1234567890123456789 2"}) {
            assertThat(RunQueueWait.runDelayOf(bytes(text))).as("%s", text.replace("\n", "\\n"))
                    .isEqualTo(RunQueueWait.UNKNOWN);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aPlatformThreadOnLinuxReadsItsOwnWait() throws Exception {
        assertThat(RunQueueWait.ofCurrentThread()).isNotNegative();
        AtomicLong onVirtual = new AtomicLong();
        Thread.ofVirtual().start(() -> onVirtual.set(RunQueueWait.ofCurrentThread())).join();
        assertThat(onVirtual.get()).as("a virtual thread's carrier may change between readings")
                .isEqualTo(RunQueueWait.UNKNOWN);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
