package io.rapace.benchmarks.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.rapace.benchmarks.report.TargetTable.Outcome;
import io.rapace.benchmarks.report.TargetTable.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The performance targets judged from a run's RESULT lines, as written by {@link BenchResult}. */
class TargetTableTest {

    /** A run whose every target row meets its bound, the figures written the way the harnesses write them. */
    private static List<String> runThatMeetsEverything() {
        return new ArrayList<>(List.of(
                BenchResult.named("ref-host-spring-jar").latencies(0.38, 0.62, 0.93).idleCpuPercent(0.9)
                        .firstAfterIdleMicros(4163.09).startupMillis(4170.8).line(),
                BenchResult.named("ref-host-plain-java").latencies(0.49, 8.68, 15.19).startupMillis(463.6).line(),
                BenchResult.named("ref-host-ref-plugin").latencies(0.30, 0.35, 0.46).idleCpuPercent(100).line(),
                BenchResult.named("java-host-spring-fast-x1").latencies(0.47, 0.63, 3.57).idleCpuPercent(0.0)
                        .firstAfterIdleMicros(90.5).startupMillis(1291.1).line(),
                BenchResult.named("java-host-spring-fast-x8").latencies(0.53, 59.45, 1048.57)
                        .callsPerSecond(813475).line(),
                BenchResult.named("java-host-spring-fast/host-idle").idleCpuPercent(0.2).line(),
                BenchResult.named("bulk-stream-60k").gigabytesPerSecond(11.74).line()));
    }

    private static List<Outcome> judge(List<String> lines) {
        return TargetTable.judge(lines.stream().map(ResultLine::parse).toList());
    }

    private static Map<String, Verdict> verdicts(List<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(o -> o.target().number() + " " + o.target().row(),
                Outcome::verdict));
    }

    @Test
    void everyTargetOfTheIssueIsJudgedAndARunThatMeetsThemAllSaysSo() {
        List<Outcome> outcomes = judge(runThatMeetsEverything());

        assertThat(outcomes).extracting(o -> o.target().number())
                .containsExactly("1a", "1b", "1c", "1d", "2a", "2b", "2c", "2c", "2d", "2e", "3", "4a", "4b", "4c");
        assertThat(outcomes).extracting(Outcome::verdict).containsOnly(Verdict.MET);
        assertThat(outcomes.get(0).measured()).isEqualTo("0.38 µs: 1.27× the reference's 0.30 µs");
        assertThat(outcomes.get(9).measured()).isEqualTo("813,475 calls/s");
    }

    @Test
    void boundsAreTheIssuesOwnStrictBelowForTargetOneIdleAtMostForTargetTwo() {
        List<String> lines = runThatMeetsEverything();
        lines.set(0, BenchResult.named("ref-host-spring-jar").latencies(0.61, 101, 200).idleCpuPercent(1.0)
                .firstAfterIdleMicros(5000.01).startupMillis(6000).line());
        lines.set(5, BenchResult.named("java-host-spring-fast/host-idle").idleCpuPercent(0.21).line());

        Map<String, Verdict> verdicts = verdicts(judge(lines));

        assertThat(verdicts).containsEntry("1a ref-host-spring-jar", Verdict.NOT_MET)  // 0.61 > 2 × 0.30
                .containsEntry("1b ref-host-spring-jar", Verdict.NOT_MET)
                .containsEntry("1c ref-host-spring-jar", Verdict.NOT_MET)  // 1.00 is not below 1
                .containsEntry("1d ref-host-spring-jar", Verdict.NOT_MET)
                .containsEntry("4a ref-host-spring-jar", Verdict.MET)  // 6,000 ms is at most 6 s
                .containsEntry("2c java-host-spring-fast-x1", Verdict.MET)  // 0.0
                .containsEntry("2c java-host-spring-fast/host-idle", Verdict.NOT_MET);
    }

    @Test
    void aStartUpIsTheMedianOfTheRowsLaunchAndItsExtraLaunches() {
        List<String> lines = runThatMeetsEverything();
        lines.set(1, BenchResult.named("ref-host-plain-java").latencies(0.49, 8.68, 15.19).startupMillis(520.2).line());
        // The extra launches of the plain-Java row, and of the Java host's row (named by its harness's suffix).
        for (double launch : new double[] {401.0, 398.5, 512.0, 389.9}) {
            lines.add(BenchResult.named("ref-host-plain-java/start").latencies(300, 300, 300).startupMillis(launch)
                    .line());
        }
        lines.add(BenchResult.named("ref-host-plain-java/start").latencies(300, 300, 300).line());  // no start-up
        lines.add(BenchResult.named("ref-host-plain-java-fast").startupMillis(150).line());  // another row
        lines.add(BenchResult.named("java-host-spring-fast-x1/start-x1").startupMillis(2_600).line());
        lines.add(BenchResult.named("java-host-spring-fast-x1/start-x1").startupMillis(2_700).line());

        List<Outcome> outcomes = judge(lines);
        Map<String, Verdict> verdicts = verdicts(outcomes);

        assertThat(outcomes.get(13).measured()).isEqualTo("401 ms, the median of 5 launches (390 ms to 520 ms)");
        assertThat(verdicts).containsEntry("4c ref-host-plain-java", Verdict.MET);
        // 1,291 ms, 2,600 and 2,700: an odd count, the middle one.
        assertThat(outcomes.get(12).measured()).isEqualTo("2,600 ms, the median of 3 launches (1,291 ms to 2,700 ms)");
        assertThat(verdicts).containsEntry("4b java-host-spring-fast-x1", Verdict.NOT_MET);
        assertThat(outcomes.get(11).measured()).as("a row without extra launches: its own figure")
                .isEqualTo("4,171 ms");
    }

    @Test
    void aRowOrFigureMissingFromTheRunIsSaidSoAndSoIsAMissingReferencePair() {
        List<String> lines = runThatMeetsEverything();
        lines.removeIf(line -> line.contains("name=bulk-stream-60k ") || line.contains("name=ref-host-ref-plugin "));
        lines.set(0, BenchResult.named("ref-host-spring-jar").latencies(0.38, 0.62, 0.93).line());

        List<Outcome> outcomes = judge(lines);
        Map<String, Verdict> verdicts = verdicts(outcomes);

        assertThat(verdicts).containsEntry("3 bulk-stream-60k", Verdict.NOT_IN_RUN)
                .containsEntry("1c ref-host-spring-jar", Verdict.NOT_IN_RUN)  // idle not measured: "-"
                .containsEntry("1a ref-host-spring-jar", Verdict.NO_REFERENCE)
                .containsEntry("2a java-host-spring-fast-x1", Verdict.NO_REFERENCE)
                .containsEntry("1b ref-host-spring-jar", Verdict.MET);
        assertThat(outcomes.get(0).measured()).isEqualTo("0.38 µs");
    }

    @Test
    void aP50sRatioIsAlsoGivenAgainstTheCPairProbedBesideItsRowAndAVerdictTheProbesContradictIsUndecided(
            @TempDir Path directory) throws Exception {
        List<String> lines = runThatMeetsEverything();
        lines.set(0, BenchResult.named("ref-host-spring-jar").latencies(0.69, 1.10, 16.78).idleCpuPercent(0.7)
                .firstAfterIdleMicros(1391).startupMillis(1916).line());
        Path file = directory.resolve("probes.txt");
        // A row of another contender whose name the row's starts with must not be taken for the row's own.
        Files.writeString(file, "ref-host-spring-jar-plain|0.18|0.19\nref-host-spring-jar|0.70|0.71\n"
                + "java-host-spring-fast|0.47|0.47\nref-host-ref-plugin|-|0.19\n");

        List<Outcome> outcomes = TargetTable.judge(lines.stream().map(ResultLine::parse).toList(),
                ReferenceProbes.read(file));

        assertThat(outcomes.get(0).measured()).isEqualTo("0.69 µs: 2.30× the reference's 0.30 µs; 0.97-0.99× the C pair"
                + " probed beside it (0.70 µs before, 0.71 after)");
        // Not met against the reference row (a faster state), met against both probes: the states differ.
        assertThat(outcomes.get(0).verdict()).isEqualTo(Verdict.STATES_DIFFER);
        assertThat(outcomes.get(4).measured()).as("java-host-spring-fast-x1, probed as java-host-spring-fast")
                .isEqualTo("0.47 µs: 1.57× the reference's 0.30 µs; 1.00× the C pair probed beside it (0.47 µs before,"
                        + " 0.47 after)");
        assertThat(outcomes.get(4).verdict()).as("met against the reference row and both probes").isEqualTo(Verdict.MET);
        assertThat(outcomes.get(1).measured()).as("a p99: no probe ratio").isEqualTo("1.10 µs");
    }

    @Test
    void aRowMetOnlyAgainstAReferenceRowOfASlowerStateOrBesideAStateChangeIsUndecided(@TempDir Path directory)
            throws Exception {
        // The 2026-12-04 14:13 run: the reference row read 0.68 µs (slow state), the Java rows ran in the fast one.
        List<String> lines = runThatMeetsEverything();
        lines.set(2, BenchResult.named("ref-host-ref-plugin").latencies(0.68, 1.09, 5.11).idleCpuPercent(100).line());
        lines.set(3, BenchResult.named("java-host-spring-fast-x1").latencies(0.59, 0.78, 3.57).idleCpuPercent(0.0)
                .firstAfterIdleMicros(90.5).startupMillis(1291.1).line());
        lines.set(0, BenchResult.named("ref-host-spring-jar").latencies(0.37, 0.55, 0.93).idleCpuPercent(0.8)
                .firstAfterIdleMicros(1916).startupMillis(2613).line());
        Path file = directory.resolve("probes.txt");
        Files.writeString(file, "ref-host-spring-jar|0.22|0.20\njava-host-spring-fast|0.23|0.22\n");
        List<ResultLine> results = lines.stream().map(ResultLine::parse).toList();

        Map<String, Verdict> verdicts = verdicts(TargetTable.judge(results, ReferenceProbes.read(file)));

        assertThat(verdicts).containsEntry("2a java-host-spring-fast-x1", Verdict.STATES_DIFFER)  // 0.87× and 2.57-2.68×
                .containsEntry("1a ref-host-spring-jar", Verdict.MET);  // 0.54× and 1.68-1.85×: met either way
        // The state changed while the row ran: one probe meets, the other not.
        Files.writeString(file, "java-host-spring-fast|0.23|0.65\n");
        assertThat(verdicts(TargetTable.judge(results, ReferenceProbes.read(file))))
                .containsEntry("2a java-host-spring-fast-x1", Verdict.STATES_DIFFER);
        assertThat(TargetTable.markdown(TargetTable.judge(results, ReferenceProbes.read(file)), 10))
                .contains("| **undecided**: the C pair probed beside the row answers otherwise (the VM changed state) |");
    }

    @Test
    void aProbeLineThatIsNotNameBeforeAfterIsRefusedNamingIt(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("probes.txt");
        Files.writeString(file, "typed|0.2\n");
        assertThatThrownBy(() -> ReferenceProbes.read(file)).hasMessage("probe line is not NAME|BEFORE|AFTER: typed|0.2");
        Files.writeString(file, "typed|fast|0.2\n");
        assertThatThrownBy(() -> ReferenceProbes.read(file)).hasMessageContaining(
                "probe 'fast' is neither a number nor '-' in: typed|fast|0.2");
    }

    @Test
    void aLineThatIsNotAResultOrHoldsNoNumberIsRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> ResultLine.parse("RESULTS name=x p50_us=1")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("not a RESULT line");
        assertThatThrownBy(() -> ResultLine.parse("RESULT name= p50_us=1")).hasMessageContaining("not a RESULT line");
        assertThatThrownBy(() -> ResultLine.parse("RESULT name=x p50_us")).hasMessageContaining(
                "field 'p50_us' is not key=value");
        assertThatThrownBy(() -> ResultLine.parse("RESULT name=x p50_us=fast")).hasMessageContaining(
                "figure p50_us='fast' is neither a number nor '-'");
    }

    @Test
    void theCommandReadsTheResultLinesOfALogAndNamesAnIdlePeriodOtherThanTheIssues(@TempDir Path directory)
            throws Exception {
        List<String> file = new ArrayList<>(List.of("compare: a log line", "typed unary add: 100000 calls"));
        file.addAll(runThatMeetsEverything());
        Path results = directory.resolve("results.txt");
        Files.write(results, file, StandardCharsets.UTF_8);

        String five = printed(results.toString(), "--idle-seconds=5");
        String ten = printed(results.toString());

        assertThat(five).startsWith("## The performance targets in this run")
                .contains("which lasted 5 s here: the issue's first call after idle comes after 10 s")
                .contains("| 1a | Spring sample plugin, plain `java -jar`, under the busy-polling C host: p50 |"
                        + " `ref-host-spring-jar` | 0.38 µs: 1.27× the reference's 0.30 µs | ≤ 2× ref-host-ref-plugin | equal | met |")
                .contains("| 1c | the same: idle CPU of the plugin | `ref-host-spring-jar` | 0.90 % | < 1 % |  | met |")
                .contains("| 2b | the same: p99 | `java-host-spring-fast-x1` | 0.63 µs | ≤ 50 µs |  | met |")
                .contains("| 2c | the same: idle CPU of the host process | `java-host-spring-fast/host-idle` | 0.20 % | ≤ 0.2 % |  | met |");
        assertThat(ten).doesNotContain("which lasted");
    }

    private static String printed(String... args) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            TargetTable.main(args);
        }
        finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
