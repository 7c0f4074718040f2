package io.rapace.core.session;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** The machine's stolen time, read from the first line of Linux's /proc/stat. */
class StolenTimeTest {

    @Test
    void theEighthFieldOfTheCpuLineIsTheStealInTicksOfTenMilliseconds() {
        assertThat(StolenTime.stealOf(bytes("cpu  4672206 180 693669 10013342 12903 0 13818 46593 0 0\ncpu0 1 2 3\n")))
                .isEqualTo(46_593L * 10_000_000L);
        assertThat(StolenTime.stealOf(bytes("cpu 1 2 3 4 5 6 7 0"))).isZero();
        assertThat(StolenTime.stealOf(bytes("cpu 1 2 3 4 5 6 7 8\n"))).isEqualTo(80_000_000L);
    }

    @Test
    void anythingElseIsUnknown() {
        for (String text : new String[] {"", "cpu", "cpu0 1 2 3 4 5 6 7 8 9", "cpu  1 2 3 4 5 6 7", "cpu  1 2 3 4 5 6 7\n8",
                "cpu  1 2 3 4 5 6 7 x", "cpu  1 2 3 4 5 6 7 8x", "cpu  1 2 -3 4 5 6 7 8", "intr 1 2 3 4 5 6 7 8",
                "cpu  1 2 3 4 5 6 7 1234567890123456"}) {
            assertThat(StolenTime.stealOf(bytes(text))).as("%s", text.replace("\n", "\\n")).isEqualTo(StolenTime.UNKNOWN);
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void thisMachineHasAReadingThatNeverGoesBack() {
        long first = StolenTime.sinceBoot();
        assertThat(first).isNotNegative();
        assertThat(StolenTime.sinceBoot()).isGreaterThanOrEqualTo(first);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
