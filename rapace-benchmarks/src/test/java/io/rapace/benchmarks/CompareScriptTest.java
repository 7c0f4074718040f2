package io.rapace.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The comparison's VM guard ({@code rapace-benchmarks/compare --vm-guard}), run for real on one cheap contender
 * ({@code idle-floor-c}, a C process that sleeps for a second): the C reference pair is probed before and after each
 * row, a row whose probes read slower than the guard is set aside and run again, and the report says so. And what a
 * run leaves: the last run's table and files until a run ends, then only the new run's.
 */
class CompareScriptTest {

    @TempDir
    Path out;

    @Test
    void aGuardTheMachineMeetsRunsEachRowOnceBetweenTwoProbes() throws Exception {
        Run run = compare("--vm-guard", "1000");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).as("the first row's count of earlier results, before any exist")
                .doesNotContain("No such file or directory");
        List<String> guard = Files.readAllLines(this.out.resolve("benchmarks/vm-guard.txt"));
        assertThat(guard).singleElement().satisfies(line -> {
            String[] fields = line.split("\\|");
            assertThat(fields).hasSize(5);
            assertThat(fields[0]).isEqualTo("idle-floor-c");
            assertThat(Double.parseDouble(fields[1])).as("the probe before").isPositive().isLessThanOrEqualTo(1000);
            assertThat(Double.parseDouble(fields[2])).as("the probe after").isPositive().isLessThanOrEqualTo(1000);
            assertThat(fields[3]).as("attempts").isEqualTo("1");
        });
        assertThat(this.out.resolve("benchmarks/discarded.txt")).doesNotExist();
        assertThat(results()).filteredOn(line -> line.startsWith("RESULT name=idle-floor-c ")).hasSize(1);
        String report = Files.readString(this.out.resolve("BENCHMARKS.md"));
        assertThat(report).contains("**VM guard** (`--vm-guard 1000`)").containsPattern("\\| idle-floor-c \\| [0-9.]+ \\| [0-9.]+ \\| fast \\| 1 \\|");
    }

    @Test
    void aGuardNeverMetSetsTheAttemptAsideRunsTheRowAgainAndMarksIt() throws Exception {
        Run run = compare("--vm-guard", "0.0001", "--vm-guard-wait", "0", "--vm-guard-retries", "1");

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("vm guard: idle-floor-c ran between probes of");
        List<String> guard = Files.readAllLines(this.out.resolve("benchmarks/vm-guard.txt"));
        assertThat(guard).singleElement().satisfies(line -> assertThat(line.split("\\|")[3]).as("attempts").isEqualTo("2"));
        String discarded = Files.readString(this.out.resolve("benchmarks/discarded.txt"));
        assertThat(discarded).startsWith("idle-floor-c, attempt 1, C pair p50 ").contains("RESULT name=idle-floor-c ");
        assertThat(this.out.resolve("benchmarks/idle-floor-c.attempt1.log")).isRegularFile();
        // The set-aside attempt's RESULT left results.txt and status.txt: the table holds the last attempt only.
        assertThat(results()).filteredOn(line -> line.startsWith("RESULT name=idle-floor-c ")).hasSize(1);
        assertThat(Files.readAllLines(this.out.resolve("benchmarks/status.txt"))).filteredOn(l -> l.startsWith("idle-floor-c|")).hasSize(1);
        String report = Files.readString(this.out.resolve("BENCHMARKS.md"));
        assertThat(report).contains("**slow: ran after the last retry**").contains("Attempts set aside");
    }

    @Test
    void guardSettingsThatAreNotNumbersAreRefusedBeforeAnythingRuns() throws Exception {
        Run notANumber = compare("--vm-guard", "fast");
        assertThat(notANumber.exit).isEqualTo(2);
        assertThat(notANumber.output).contains("--vm-guard wants a p50 in microseconds above 0 (e.g. 0.4), not 'fast'");

        Run zero = compare("--vm-guard", "0");
        assertThat(zero.exit).isEqualTo(2);

        Run badWait = compare("--vm-guard", "0.4", "--vm-guard-wait", "-1");
        assertThat(badWait.exit).isEqualTo(2);
        assertThat(badWait.output).contains("--vm-guard-wait wants a whole number, not '-1'");

        assertThat(this.out.resolve("BENCHMARKS.md")).doesNotExist();
        assertThat(this.out.resolve("benchmarks")).doesNotExist();
    }

    @Test
    void aRunStoppedHalfWayLeavesTheLastTableItsFilesAndNoProcessBehind() throws Exception {
        assertThat(compare().exit).isZero();
        String table = Files.readString(this.out.resolve("BENCHMARKS.md"));
        Map<String, String> files = files(this.out.resolve("benchmarks"));
        assertThat(files).containsKeys("idle-floor-c.log", "results.txt", "status.txt");

        // wake-floor-c takes 20 s (10 rounds 2 s apart): stopped once it runs.
        Path log = Files.createTempFile("compare", ".log");
        try {
            Process process = start(List.of("--only", "wake-floor-c"), log);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("running wake-floor-c"));
            List<ProcessHandle> children = await().atMost(Duration.ofSeconds(10))
                    .until(() -> process.descendants().toList(), list -> !list.isEmpty());
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).isEqualTo(130);
            assertThat(Files.readString(log)).contains("stopped: " + this.out.resolve("BENCHMARKS.md")
                    + " and " + this.out.resolve("benchmarks") + " are left as the last run wrote them");
            assertThat(Files.readString(this.out.resolve("BENCHMARKS.md"))).isEqualTo(table);
            assertThat(files(this.out.resolve("benchmarks"))).isEqualTo(files);
            try (Stream<Path> left = Files.list(this.out)) {
                assertThat(left.map(p -> p.getFileName().toString())).as("no staging directory left")
                        .containsExactlyInAnyOrder("BENCHMARKS.md", "benchmarks");
            }
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(children).as("the row's processes").noneMatch(ProcessHandle::isAlive));
        }
        finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void aFinishedRunReplacesTheLastRunsFiles() throws Exception {
        Files.createDirectories(this.out.resolve("benchmarks"));
        Files.writeString(this.out.resolve("benchmarks/gone-row.log"), "a row of the last run");
        Files.writeString(this.out.resolve("benchmarks/gone-row.csv"), "1,2");

        assertThat(compare().exit).isZero();

        assertThat(files(this.out.resolve("benchmarks"))).containsKeys("idle-floor-c.log", "results.txt", "status.txt")
                .doesNotContainKeys("gone-row.log", "gone-row.csv");
        assertThat(Files.readString(this.out.resolve("BENCHMARKS.md"))).containsPattern("\\| idle-floor-c \\|")
                .contains("**The C reference pair beside each row:**")
                .containsPattern("\\| idle-floor-c \\| [0-9.]+ \\| [0-9.]+ \\|\n");
        assertThat(Files.readAllLines(this.out.resolve("benchmarks/probes.txt"))).as("the C pair probed around the row")
                .singleElement().asString().matches("idle-floor-c\\|[0-9.]+\\|[0-9.]+");
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> contents = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.toList()) {
                contents.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        return contents;
    }

    private List<String> results() throws IOException {
        return Files.readAllLines(this.out.resolve("benchmarks/results.txt"));
    }

    private Run compare(String... guard) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("--only", "idle-floor-c"));
        arguments.addAll(List.of(guard));
        Path log = Files.createTempFile("compare", ".log");
        try {
            Process process = start(arguments, log);
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the comparison did not end within 180 s:\n" + Files.readString(log));
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(log);
        }
    }

    /** The comparison, quick and without a build, writing into {@link #out}, its output into {@code log}. */
    private Process start(List<String> arguments, Path log) throws IOException {
        assumeTrue(ReferencePeerTest.onPath("gcc").isPresent(), "no gcc on the PATH: the comparison cannot build its C peer");
        Path script = Path.of(System.getProperty("rapace.compare.script", "compare"));
        assertThat(script).as("the comparison script").isRegularFile();
        List<String> command = new ArrayList<>(List.of("bash", script.toString(), "--skip-build", "--quick",
                "--out-dir", this.out.toString()));
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private record Run(int exit, String output) {
    }
}
