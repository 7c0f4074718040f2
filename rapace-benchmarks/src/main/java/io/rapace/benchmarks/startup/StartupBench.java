package io.rapace.benchmarks.startup;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.rapace.benchmarks.report.ProcessCpu;
import io.rapace.benchmarks.rpc.Calculator;
import io.rapace.benchmarks.rpc.CalculatorPluginMain;
import io.rapace.benchmarks.rpc.PlainPluginLib;
import io.rapace.core.runtime.RapaceHost;
import org.jspecify.annotations.Nullable;

/**
 * Start-up figure: for each launch style, a {@link RapaceHost} in this JVM creates a segment, launches the plugin
 * command and calls {@code Calculator.add(2, 40)}; the time from just before the segment is created to the answer
 * is one sample. Optionally a thread of this JVM busy-spins all along, as a busy-polling host does (it takes one of
 * the machine's cores). Styles take turns run by run; prints every sample and min / median / max per style.
 *
 * <p>Usage, from the repository root after {@code ./mvnw -B -ntp -q -DskipTests package}:
 * <pre>
 * java -cp rapace-benchmarks/target/rapace-benchmarks.jar io.rapace.benchmarks.startup.StartupBench \
 *     [--runs=N] [--spin=true|false] [--styles=jar,jar-plain,fast,plain-java,plain-java-fast] [--repo=DIR]
 *     [--java=PATH]
 *     [--log=FILE]
 * </pre>
 * Styles: {@code jar} ({@code java -jar sample-plugin-app/target/sample-plugin-app.jar PATH}, which hands over to the
 * fast launch trained beside the jar), {@code jar-plain} (the same with {@code -Drapace.fast-launch=false}: the fat
 * jar's own start), {@code fast}
 * ({@code sample-plugin-app/target/sample-plugin-app PATH}), {@code plain-java} ({@code java -jar
 * rapace-benchmarks/target/plain-plugin-lib/*-calculator-plugin.jar PATH}: {@link CalculatorPluginMain} in its own
 * jar beside the jars it needs), {@code plain-java-fast}
 * ({@code rapace-benchmarks/target/plain-plugin PATH}: the plain-Java plugin with its AOT cache); {@code cmd:WORDS} runs any
 * command (words separated by spaces), the path appended as its last argument.
 */
public final class StartupBench {

    /** When set ({@code --log=FILE}), every plugin's output is appended there. */
    private static @Nullable Path keptLog;

    private StartupBench() {
    }

    /** Runs the harness. */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        int runs = Integer.parseInt(options.getOrDefault("runs", "5"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
        boolean spin = Boolean.parseBoolean(options.getOrDefault("spin", "true"));
        Path repo = Path.of(options.getOrDefault("repo", ".")).toAbsolutePath().normalize();
        String java = options.getOrDefault("java", ProcessHandle.current().info().command().orElseThrow());
        List<String> styles = Arrays.asList(options.getOrDefault("styles", "jar,jar-plain,fast,plain-java").split(","));
        keptLog = options.containsKey("log") ? Path.of(options.get("log")) : null;

        Spinner spinner = spin ? Spinner.start() : null;
        try {
            System.out.printf(Locale.ROOT, "machine: %d cores; spinning host thread: %s; runs: %d (+%d warm-up)%n",
                    Runtime.getRuntime().availableProcessors(), spin ? "yes" : "no", runs, warmup);
            // Styles take turns (A B C A B C ...), so that a machine whose speed drifts treats them alike.
            List<List<String>> commands = new ArrayList<>();
            for (String style : styles) {
                commands.add(command(style, repo, java));
                System.out.println("== " + style + ": " + String.join(" ", commands.getLast()) + " PATH");
            }
            double[][] millis = new double[styles.size()][runs];
            double[][] rss = new double[styles.size()][runs];
            double[][] cpu = new double[styles.size()][runs];
            for (int i = -warmup; i < runs; i++) {
                for (int s = 0; s < styles.size(); s++) {
                    Sample sample = once(commands.get(s));
                    if (i >= 0) {
                        millis[s][i] = sample.millis();
                        rss[s][i] = sample.peakRssMiB();
                        cpu[s][i] = sample.cpuMillis();
                    }
                    System.out.printf(Locale.ROOT, "  %-8s %s %6.0f ms, plugin CPU %.0f ms, peak RSS %.0f MiB%n",
                            i < 0 ? "warm-up" : "run " + (i + 1), styles.get(s), sample.millis(), sample.cpuMillis(),
                            sample.peakRssMiB());
                }
            }
            System.out.println("== launch -> first Calculator.add answer (ms)");
            for (int s = 0; s < styles.size(); s++) {
                Arrays.sort(millis[s]);
                Arrays.sort(rss[s]);
                Arrays.sort(cpu[s]);
                System.out.printf(Locale.ROOT,
                        "  %-12s min %6.0f  median %6.0f  max %6.0f   plugin CPU median %6.0f ms, peak RSS median %.0f MiB%n",
                        styles.get(s), millis[s][0], median(millis[s]), millis[s][runs - 1], median(cpu[s]),
                        median(rss[s]));
            }
        }
        finally {
            if (spinner != null) {
                spinner.stop();
            }
        }
    }

    private static List<String> command(String style, Path repo, String java) {
        return switch (style) {
            case "jar" -> List.of(java, "-jar", repo.resolve("sample-plugin-app/target/sample-plugin-app.jar").toString());
            case "jar-plain" -> List.of(java, "-Drapace.fast-launch=false", "-jar",
                    repo.resolve("sample-plugin-app/target/sample-plugin-app.jar").toString());
            case "fast" -> List.of(repo.resolve("sample-plugin-app/target/sample-plugin-app").toString());
            case "plain-java-fast" -> List.of(repo.resolve("rapace-benchmarks/target/plain-plugin").toString());
            case "plain-java" -> List.of(java, "-jar", PlainPluginLib.pluginJar(
                    repo.resolve("rapace-benchmarks/target").resolve(PlainPluginLib.DIRECTORY)).toString());
            default -> {
                if (style.startsWith("cmd:")) {
                    yield List.of(style.substring(4).split(" "));
                }
                throw new IllegalArgumentException(
                        "unknown style " + style + " (jar, jar-plain, fast, plain-java, plain-java-fast, cmd:...)");
            }
        };
    }

    /**
     * One launch: segment creation to the first answer, and by then the plugin's CPU time (what it costs whatever
     * the machine's load: about its wall time when it has one core to itself) and peak resident memory.
     */
    private record Sample(double millis, double cpuMillis, double peakRssMiB) {
    }

    /** VmHWM of a Linux process in MiB (NaN elsewhere). */
    private static double peakRssMiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            // not Linux, or the process is gone
        }
        return Double.NaN;
    }

    /** One launch: segment creation to the first answer, in milliseconds. */
    private static Sample once(List<String> command) throws IOException {
        Path log = (keptLog != null) ? keptLog : Files.createTempFile("startup-bench-", ".log");
        File logFile = log.toFile();
        long start = System.nanoTime();
        try (RapaceHost host = RapaceHost.builder()
            .command(command)
            .callTimeout(Duration.ofSeconds(120))
            .stopTimeout(Duration.ofSeconds(30))
            .redirectOutput(Redirect.appendTo(logFile))
            .redirectError(Redirect.appendTo(logFile))
            .start()) {
            int sum = host.client(Calculator.class).add(2, 40);
            double ms = (System.nanoTime() - start) / 1e6;
            if (sum != 42) {
                throw new IllegalStateException("Calculator.add(2, 40) answered " + sum);
            }
            double cpuMs = ProcessCpu.nanos(host.process().pid()) / 1e6;
            return new Sample(ms, cpuMs, peakRssMiB(host.process().pid()));
        }
        catch (RuntimeException ex) {
            System.err.println("plugin output:\n" + Files.readString(log));
            throw ex;
        }
        finally {
            if (keptLog == null) {
                Files.deleteIfExists(log);
            }
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** A thread that busy-spins like a polling host, on whichever core the scheduler gives it. */
    private static final class Spinner {

        private volatile boolean running = true;

        private final Thread thread;

        private Spinner() {
            this.thread = Thread.ofPlatform().daemon().name("spinning-host").start(() -> {
                while (this.running) {
                    Thread.onSpinWait();
                }
            });
        }

        static Spinner start() {
            return new Spinner();
        }

        void stop() throws InterruptedException {
            this.running = false;
            this.thread.join();
        }
    }
}
