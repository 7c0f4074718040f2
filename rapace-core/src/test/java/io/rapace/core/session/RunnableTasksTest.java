package io.rapace.core.session;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The machine's runnable tasks, read from {@code /proc/loadavg}. */
class RunnableTasksTest {

    @Test
    void readsTheNumeratorOfTheFourthField() {
        assertThat(RunnableTasks.runnableOf(bytes("0.98 0.89 0.98 3/345 12345\n"))).isEqualTo(3);
        assertThat(RunnableTasks.runnableOf(bytes("10.00 9.50 8.25 17/1204 99\n"))).isEqualTo(17);
    }

    @Test
    void anythingElseIsUnknown() {
        assertThat(RunnableTasks.runnableOf(bytes(""))).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(RunnableTasks.runnableOf(bytes("0.98 0.89 0.98"))).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(RunnableTasks.runnableOf(bytes("0.98 0.89 0.98 /345 1\n"))).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(RunnableTasks.runnableOf(bytes("0.98 0.89 0.98 3 1\n"))).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(RunnableTasks.runnableOf(bytes("0.98 0.89 0.98 3x/345 1\n"))).isEqualTo(RunnableTasks.UNKNOWN);
        assertThat(RunnableTasks.runnableOf(bytes("0.98 0.89 0.98 12345678901/345 1\n")))
                .isEqualTo(RunnableTasks.UNKNOWN);
    }

    @Test
    void theMachinesOwnCountHoldsAtLeastTheReader() {
        assumeTrue(Files.isReadable(Path.of("/proc/loadavg")), "Linux's /proc/loadavg");
        assertThat(RunnableTasks.now()).isPositive();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
