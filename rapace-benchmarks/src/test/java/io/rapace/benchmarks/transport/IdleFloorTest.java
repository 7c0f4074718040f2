package io.rapace.benchmarks.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The Java idle floor of the comparison, run as the comparison runs it: its own JVM, a RESULT line. */
class IdleFloorTest {

    @Test
    void aJvmThatOnlyParksReportsItsProcessCpu() throws Exception {
        String output = run("--park-us=2000", "--seconds=0.3", "--label=floor");
        assertThat(output).containsPattern("(?m)^RESULT name=floor p50_us=- p99_us=- p999_us=- calls_per_s=-"
                + " idle_cpu_pct=[0-9.]+ first_after_idle_us=- startup_ms=- alloc_b_per_call=- gbps=-$")
            .containsPattern("2000 µs parks \\(park\\), [0-9]+ wake-ups/s, process CPU [0-9.]+ µs per wake-up,"
                    + " the parker's own [0-9.]+ µs");
    }

    /** Each native way waits its time: a wait that returned at once would show thousands of wake-ups a second. */
    @ParameterizedTest
    @ValueSource(strings = {"sleep", "futex", "nanosleep", "critical-nanosleep"})
    void theOtherWaysWaitTheirTimeToo(String wait) throws Exception {
        String output = run("--park-us=2000", "--seconds=0.3", "--wait=" + wait);
        Matcher rate = Pattern.compile("2000 µs parks \\(" + wait + "\\), ([0-9]+) wake-ups/s").matcher(output);
        assertThat(rate.find()).as(output).isTrue();
        assertThat(Integer.parseInt(rate.group(1))).as(output).isBetween(1, 500);
    }

    @Test
    void anUnknownWaitIsRefusedByName() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdleFloor.main(new String[] {"--wait=spin"}))
            .withMessage("--wait must be park, sleep, futex, nanosleep or critical-nanosleep, not spin");
    }

    private static String run(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                IdleFloor.class.getName()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
        return output;
    }

    @Test
    void aNonPositiveParkIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdleFloor.main(new String[] {"--park-us=0"}))
            .withMessageContaining("--park-us and --seconds must be positive");
    }
}
