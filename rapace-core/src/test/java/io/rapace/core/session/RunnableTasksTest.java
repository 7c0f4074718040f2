package io.rapace.core.session;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The machine's runnable tasks, read from {@code /proc/loadavg}. */
class RunnableTasksTest {

    @Test
    void readsTheNumeratorOfTheFourthField() {
        assertThat(runnableOf("0.98 0.89 0.98 3/345 12345\n")).isEqualTo(3);
        assertThat(runnableOf("10.00 9.50 8.25 17/1204 99\n")).isEqualTo(17);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(runnableOf("")).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(runnableOf("0.98 0.89 0.98")).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(runnableOf("0.98 0.89 0.98 /345 1\n")).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(runnableOf("0.98 0.89 0.98 3 1\n")).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(runnableOf("0.98 0.89 0.98 3x/345 1\n")).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(runnableOf("0.98 0.89 0.98 12345678901/345 1\n")).isEqualTo(RunnableTasks.UNKNOWN);
        byte[] cut = bytes("0.98 0.89 0.98 3/345 1\n");
        assertThat(RunnableTasks.runnableOf(cut, 16)).as("the text ends before the slash").isEqualTo(RunnableTasks.UNKNOWN);
    }

    @Test
    void theMachinesOwnCountHoldsAtLeastTheReaderAndIsReadAfreshEachTime() {
        assumeTrue(Files.isReadable(Path.of("/proc/loadavg")), "Linux's /proc/loadavg");
        for (int reading = 0; reading < 3; reading++) {
            assertThat(RunnableTasks.now()).as("reading %d", reading).isPositive();
        }
    }

    @Test
    void aReadingAllocatesNothingOnceWarm() {
        assumeTrue(Files.isReadable(Path.of("/proc/loadavg")), "Linux's /proc/loadavg");
        // A reading runs on a caller's thread, whose calls allocate nothing (GeneratedClientTest counts their bytes).
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        int sum = 0;
        for (int reading = 0; reading < 20_000; reading++) {
            sum += RunnableTasks.now();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int reading = 0; reading < 1_000; reading++) {
            sum += RunnableTasks.now();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isPositive();
        assertThat(allocated).as("bytes allocated by 1,000 readings").isZero();
    }

    private static long runnableOf(String text) {
        byte[] bytes = bytes(text);
        return RunnableTasks.runnableOf(bytes, bytes.length);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
