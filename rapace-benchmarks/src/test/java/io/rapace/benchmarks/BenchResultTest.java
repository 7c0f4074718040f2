package io.rapace.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import io.rapace.benchmarks.report.BenchResult;
import io.rapace.benchmarks.report.LatencyChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The RESULT line format the comparison script parses, the percentile file and the chart drawn from it. */
class BenchResultTest {

    @Test
    void resultLineHasEveryFieldInOrderWithDashesForMissingFigures() {
        long[] nanos = LongStream.rangeClosed(1, 1000).map(i -> i * 1000).toArray();
        String line = BenchResult.named("a b").latencies(nanos).callsPerSecond(12345.6).line();
        assertThat(line).isEqualTo("RESULT name=a_b p50_us=500.00 p99_us=990.00 p999_us=999.00 calls_per_s=12346"
                + " idle_cpu_pct=- first_after_idle_us=- startup_ms=- alloc_b_per_call=- gbps=-");
    }

    @Test
    void histogramFileFeedsTheChart(@TempDir Path directory) throws Exception {
        long[] nanos = LongStream.rangeClosed(1, 100_000).map(i -> 500 + i * 10).toArray();
        Path csv = directory.resolve("x.csv");
        BenchResult.writeHistogram(csv.toString(), "curve-x", nanos);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).startsWith("# curve-x:");
        assertThat(lines.get(1)).isEqualTo("50.0000,500.500");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("100,1000.500");
        Path png = directory.resolve("chart.png");
        LatencyChart.main(new String[] {png.toString(), csv.toString()});
        byte[] header = Files.readAllBytes(png);
        assertThat(header).startsWith(0x89, 'P', 'N', 'G');
    }
}
