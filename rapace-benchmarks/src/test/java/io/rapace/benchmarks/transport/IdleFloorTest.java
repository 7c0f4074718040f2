package io.rapace.benchmarks.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The Java idle floor of the comparison, run as the comparison runs it: its own JVM, a RESULT line. */
class IdleFloorTest {

    @Test
    void aJvmThatOnlyParksReportsItsProcessCpu() throws Exception {
        Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), IdleFloor.class.getName(), "--park-us=2000", "--seconds=0.3",
                "--label=floor")).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("exit code; output:%n%s", output).isZero();
        assertThat(output).containsPattern("(?m)^RESULT name=floor p50_us=- p99_us=- p999_us=- calls_per_s=-"
                + " idle_cpu_pct=[0-9.]+ first_after_idle_us=- startup_ms=- alloc_b_per_call=- gbps=-$")
            .containsPattern("2000 µs parks, [0-9]+ wake-ups/s");
    }

    @Test
    void aNonPositiveParkIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> IdleFloor.main(new String[] {"--park-us=0"}))
            .withMessageContaining("--park-us and --seconds must be positive");
    }
}
