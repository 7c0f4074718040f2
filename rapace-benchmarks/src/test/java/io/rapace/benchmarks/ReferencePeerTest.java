package io.rapace.benchmarks;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The C reference peer of the comparison ({@code reference-peer/refpeer.c}) builds with {@code gcc -O2} and a
 * tiny run of its host role against its plugin role completes: start-up, unary calls, a server stream, a
 * 60 KiB slot payload both ways checked against a digest, a clean exit of the plugin when the host stops
 * heartbeating, and the segment file deleted. Skipped, not failed, when the machine has no {@code gcc}.
 */
class ReferencePeerTest {

    private static final long TIMEOUT_SECONDS = 60;

    /** Where the binary is built once for both tests. */
    @TempDir
    static Path buildDirectory;

    private static Path binary;

    @Test
    void referenceHostCompletesATinyRunAgainstTheReferencePlugin(@TempDir Path directory) throws Exception {
        Path refpeer = refpeer();
        Path output = directory.resolve("refpeer.log");
        Path hist = directory.resolve("hist.csv");
        Process process = new ProcessBuilder(refpeer.toString(), "host", "--label", "tiny", "--plugin-cmd",
                refpeer + " plugin", "--calls", "300", "--warmup", "30", "--idle-seconds", "0.2", "--range", "50",
                "--bulk", "2", "--exit-wait", "8", "--shm-dir", directory.toString(), "--hist-out", hist.toString())
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("refpeer host finished").isTrue();
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("exit code; output:%n%s", log).isZero();
            assertThat(log).containsPattern("(?m)^RESULT name=tiny p50_us=[0-9.]+ p99_us=[0-9.]+ p999_us=[0-9.]+"
                    + " calls_per_s=[0-9]+ idle_cpu_pct=[0-9.]+ first_after_idle_us=[0-9.]+ startup_ms=[0-9.]+"
                    + " alloc_b_per_call=0 gbps=-$")
                .contains("RESULT name=tiny/range ")
                .contains("RESULT name=tiny/sha256-60KiB ")
                .contains("plugin exited by itself")
                .doesNotContain("invalid descriptor");
            assertThat(Files.readAllLines(hist)).hasSizeGreaterThan(30).last().asString().startsWith("100,");
            try (Stream<Path> left = Files.list(directory)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".shm"));
            }
        }
        finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
    }

    @Test
    void theHostRepeatsTheIdlePeriodAndReportsTheMedianFirstCall(@TempDir Path directory) throws Exception {
        Path refpeer = refpeer();
        Run run = run("host", "--label", "rounds", "--plugin-cmd", refpeer + " plugin", "--calls", "100", "--warmup",
                "10", "--idle-seconds", "0.1", "--idle-rounds", "3", "--exit-wait", "8", "--shm-dir",
                directory.toString());
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        List<Double> firsts = new ArrayList<>();
        Matcher round = Pattern.compile(
                "first call after idle ([0-9.]+) us \\(round (\\d) of 3\\)").matcher(run.output());
        while (round.find()) {
            assertThat(round.group(2)).isEqualTo(String.valueOf(firsts.size() + 1));
            firsts.add(Double.parseDouble(round.group(1)));
        }
        assertThat(firsts).as("one line per round; output:%n%s", run.output()).hasSize(3);
        Matcher result = Pattern.compile(
                "(?m)^RESULT name=rounds .* first_after_idle_us=([0-9.]+) ").matcher(run.output());
        assertThat(result.find()).as("the RESULT line; output:%n%s", run.output()).isTrue();
        List<Double> sorted = firsts.stream().sorted().toList();
        // Each round is printed to 0.1 us, the RESULT to 0.01 us.
        assertThat(Double.parseDouble(result.group(1))).as("the median of %s", firsts)
            .isCloseTo(sorted.get(1), within(0.051));
    }

    @Test
    void theHostRefusesNoIdleRounds(@TempDir Path directory) throws Exception {
        Path refpeer = refpeer();
        Run run = run("host", "--plugin-cmd", refpeer + " plugin", "--calls", "10", "--warmup", "0",
                "--idle-seconds", "0.1", "--idle-rounds", "0", "--exit-wait", "8", "--shm-dir", directory.toString());
        assertRefused(run, "--idle-rounds must be 1..1000, got 0");
        try (Stream<Path> left = Files.list(directory)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".shm"));
        }
    }

    @Test
    void methodIdsFollowTheSpec() throws Exception {
        Path refpeer = refpeer();
        Process process = new ProcessBuilder(refpeer.toString(), "method-id", "Calculator.add").start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // spec §5: Calculator.add = 423600472
        assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim())
            .isEqualTo("423600472");
    }

    @Test
    void theSleeperReportsItsOwnCpuWhileSleeping() throws Exception {
        Run run = run("sleeper", "--park-us", "2000", "--seconds", "0.3", "--label", "floor");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output()).containsPattern("(?m)^RESULT name=floor p50_us=- p99_us=- p999_us=- calls_per_s=-"
                + " idle_cpu_pct=[0-9.]+ first_after_idle_us=- startup_ms=- alloc_b_per_call=- gbps=-$")
            .containsPattern("2000 us parks, [0-9]+ wake-ups/s");
    }

    @Test
    void theSleeperRefusesANonPositivePark() throws Exception {
        assertRefused(run("sleeper", "--park-us", "0"), "--park-us and --seconds must be positive");
    }

    @Test
    void theWakeFloorPrintsEveryRoundAndTheMedian() throws Exception {
        Run run = run("wakefloor", "--rounds", "3", "--gap-ms", "20", "--label", "floor");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output()).containsPattern("(?m)^RESULT name=floor p50_us=- p99_us=- p999_us=- calls_per_s=-"
                + " idle_cpu_pct=- first_after_idle_us=[0-9.]+ startup_ms=- alloc_b_per_call=- gbps=-$")
            .containsPattern("rounds \\(us\\): [0-9]+ [0-9]+ [0-9]+\\n")
            .containsPattern("gap 20 ms, 3 rounds: min [0-9.]+ median [0-9.]+ max [0-9.]+ us");
    }

    @Test
    void theWakeFloorWithAYieldingCallerSaysSo() throws Exception {
        Run run = run("wakefloor", "--rounds", "3", "--gap-ms", "20", "--wait", "yield", "--label", "floor-yield");
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isZero();
        assertThat(run.output()).contains("refpeer wakefloor (yield): gap 20 ms, 3 rounds: min ")
            .containsPattern("(?m)^RESULT name=floor-yield .* first_after_idle_us=[0-9.]+ ");
    }

    @Test
    void theWakeFloorRefusesAnUnknownWait() throws Exception {
        assertRefused(run("wakefloor", "--wait", "nap"), "unknown option --wait");
    }

    @Test
    void theWakeFloorRefusesNoRounds() throws Exception {
        assertRefused(run("wakefloor", "--rounds", "0"), "--rounds and --gap-ms must be positive");
    }

    @Test
    void theWakeFloorsSleeperExitsWhenItsParentIsKilled() throws Exception {
        Process parent = new ProcessBuilder(refpeer().toString(), "wakefloor", "--rounds", "5", "--gap-ms", "5000")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Optional<ProcessHandle> child = Optional.empty();
        try {
            child = await().atMost(Duration.ofSeconds(10)).until(() -> parent.children().findFirst(),
                    Optional::isPresent);
            parent.destroyForcibly().waitFor();  // SIGKILL: the parent cannot stop its child
            assertThat(child.get().onExit().get(10, TimeUnit.SECONDS).isAlive()).as("the sleeper exits").isFalse();
        }
        finally {
            child.ifPresent(ProcessHandle::destroyForcibly);  // orphaned once its parent is killed: not a descendant
            parent.descendants().forEach(ProcessHandle::destroyForcibly);
            parent.destroyForcibly().waitFor();
        }
    }

    /** The run was refused as a usage error (exit code 2) with a message naming the problem. */
    private static void assertRefused(Run run, String message) {
        assertThat(run.output()).contains(message);
        assertThat(run.exitCode()).as("exit code; output:%n%s", run.output()).isEqualTo(2);
    }

    /** What a short run of the reference peer printed (stdout and stderr together) and how it exited. */
    private record Run(String output, int exitCode) {
    }

    private static Run run(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(refpeer().toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("refpeer %s finished", command).isTrue();
            return new Run(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                    process.exitValue());
        }
        finally {
            process.destroyForcibly();
        }
    }

    private static synchronized Path refpeer() throws Exception {
        if (binary == null) {
            binary = build(buildDirectory);
        }
        return binary;
    }

    /** Compiles the reference peer the way {@code rapace-benchmarks/compare} does. */
    static Path build(Path directory) throws Exception {
        Optional<Path> gcc = onPath("gcc");
        assumeTrue(gcc.isPresent(), "no gcc on the PATH: the C reference peer cannot be built");
        Path source = Path.of(System.getProperty("rapace.refpeer.source", "reference-peer/refpeer.c"));
        assertThat(source).as("the reference peer source").isRegularFile();
        Path binary = directory.resolve("refpeer");
        Process cc = new ProcessBuilder(gcc.get().toString(), "-std=c11", "-O2", "-Wall", "-pthread", "-o",
                binary.toString(), source.toString()).redirectErrorStream(true).start();
        String out = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(cc.exitValue()).as("gcc output:%n%s", out).isZero();
        if (!out.isBlank()) {
            System.out.println("gcc said:\n" + out);  // warnings differ between compiler versions: shown, not failed
        }
        return binary;
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return List.of(path.split(File.pathSeparator)).stream()
            .filter(entry -> !entry.isEmpty())
            .map(entry -> Path.of(entry, name))
            .filter(Files::isExecutable)
            .findFirst();
    }
}
