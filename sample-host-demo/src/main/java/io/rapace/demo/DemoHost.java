package io.rapace.demo;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.rapace.core.RapaceException;
import io.rapace.core.operations.HealthComponent;
import io.rapace.core.operations.MeterReading;
import io.rapace.core.operations.PluginHealth;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.RapaceService;
import org.jspecify.annotations.Nullable;

/**
 * The demo: a plain-Java rapace host that creates a segment, launches the sample Spring Boot plugin jar
 * with this JVM's own {@code java}, calls every kind of method (unary, server streaming, bytes, an error),
 * measures the latency of many small calls, prints the plugin's health and metrics (read through its
 * actuator over JMX), then closes the segment and waits for the plugin to exit by itself.
 *
 * <p>Usage: {@code java -jar sample-host-demo/target/sample-host-demo.jar [PLUGIN_JAR]}; the plugin jar
 * defaults to {@code sample-plugin-app/target/sample-plugin-app.jar} of the repository the demo jar lies in
 * (see {@link PluginJar}). Exit status: {@value #OK} when every step worked and the plugin exited by itself
 * with code 0, {@value #FAILED} when something failed (the reason and the plugin log's tail on stderr),
 * {@value #NOT_STARTED} when the plugin jar is missing (with how to build it).
 */
public final class DemoHost {

    /** Exit status when the demo ran and the plugin exited by itself with code 0. */
    static final int OK = 0;

    /** Exit status when a call, the actuator or the plugin's exit went wrong. */
    static final int FAILED = 1;

    /** Exit status when the demo cannot start: the plugin jar is missing. */
    static final int NOT_STARTED = 2;

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private static final int WARM_UP_CALLS = 50_000;

    private static final int LATENCY_CALLS = 50_000;

    private static final int LOG_TAIL_LINES = 40;

    private static final DemoReport report = new DemoReport(System.out);

    private DemoHost() {
    }

    /** Runs the demo; exits 0 when everything worked, non-zero (with the reason on stderr) otherwise. */
    public static void main(String[] args) {
        Path jar;
        try {
            jar = PluginJar.locate(args, demoLocation(), Path.of("").toAbsolutePath());
        }
        catch (IllegalStateException ex) {
            System.err.println("demo: " + ex.getMessage());
            System.exit(NOT_STARTED);
            return;
        }
        int status;
        try {
            status = run(jar);
        }
        catch (Exception ex) {
            System.err.println("demo: failed: " + ex);
            status = FAILED;
        }
        System.exit(status);
    }

    private static int run(Path jar) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sample-plugin-", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        report.line("== rapace demo host");
        report.row("plugin jar", jar);
        report.row("plugin log", log + " (deleted at the end)");
        RapaceHost host = RapaceHost.builder()
            .command(java, "-jar", jar.toString())
            .redirectOutput(Redirect.to(log.toFile()))
            .redirectError(Redirect.appendTo(log.toFile()))
            .callTimeout(PATIENCE)
            .start();
        try {
            report.row("segment", host.path());
            report.row("plugin pid", host.process().pid());
            host.awaitPluginStarted(PATIENCE);
            Calculator calculator = host.client(Calculator.class);
            calls(calculator, host.client(Hasher.class), host.client(CalculatorWithSubtract.class));
            latency(calculator);
            operations(host);
            return shutdown(host);
        }
        catch (RuntimeException ex) {
            printLogTail(log);
            throw ex;
        }
        finally {
            host.close();
            Files.deleteIfExists(log);
        }
    }

    private static void calls(Calculator calculator, Hasher hasher, CalculatorWithSubtract newer) {
        report.section("calls");
        report.row("Calculator.add(2, 3)", calculator.add(2, 3));
        report.row("Calculator.range(5)", calculator.range(5).collectList().block(PATIENCE));
        byte[] data = "hello, rapace".getBytes(StandardCharsets.UTF_8);
        report.row("Hasher.sha256(\"hello, rapace\")", HexFormat.of().formatHex(hasher.sha256(data)));
        report.row("Calculator.add(MAX, 1)", expectError(() -> calculator.add(Integer.MAX_VALUE, 1)));
        report.row("Calculator.subtract(5, 3)", expectError(() -> newer.subtract(5, 3)));
    }

    /** The error a call ends with, as {@code -> CODE: message}. */
    private static String expectError(Supplier<Object> call) {
        try {
            return "no error?! " + call.get();
        }
        catch (RapaceException ex) {
            return "-> " + ex.errorCode() + ": " + ex.getMessage();
        }
    }

    private static void latency(Calculator calculator) {
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            calculator.add(i, i);
        }
        long[] nanos = new long[LATENCY_CALLS];
        long start = System.nanoTime();
        for (int i = 0; i < LATENCY_CALLS; i++) {
            long before = System.nanoTime();
            calculator.add(i, 1);
            nanos[i] = System.nanoTime() - before;
        }
        long total = System.nanoTime() - start;
        Arrays.sort(nanos);
        report.section(String.format("latency of %,d Calculator.add calls (after %,d warm-up calls)", LATENCY_CALLS,
                WARM_UP_CALLS));
        report.row("p50", DemoReport.micros(nanos[LATENCY_CALLS / 2]));
        report.row("p99", DemoReport.micros(nanos[LATENCY_CALLS * 99 / 100]));
        report.row("max", DemoReport.micros(nanos[LATENCY_CALLS - 1]));
        report.row("throughput", DemoReport.number(Math.rint(LATENCY_CALLS / (total / 1e9))) + " calls/s");
    }

    /** The plugin's health and meters, read over the session itself ({@code RapaceOperations}, docs/operations.md). */
    private static void operations(RapaceHost host) {
        report.section("plugin health (host.operations().health(), over the session)");
        PluginHealth health = host.operations().health();
        report.row("status", health.status());
        for (HealthComponent component : health.components()) {
            report.row(component.name(), component.status());
            if (component.name().equals("rapace")) {
                component.details().forEach((key, value) -> report.row("  " + key, value));
            }
        }
        report.section("plugin meters (host.operations().metrics(\"rapace.\"))");
        List<MeterReading> meters = host.operations().metrics("rapace.");
        for (String name : List.of("rapace.ring.capacity", "rapace.slots.count", "rapace.slots.in.use",
                "rapace.frames.invalid")) {
            report.row(name, DemoReport.number(value(meters, name, Map.of(), "VALUE", "COUNT")));
        }
        report.row("rapace.peer.heartbeat.age",
                DemoReport.millisFromSeconds(value(meters, "rapace.peer.heartbeat.age", Map.of(), "VALUE")));
        for (String direction : List.of("send", "receive")) {
            Map<String, String> tag = Map.of("direction", direction);
            report.row("rapace.ring.occupancy " + direction,
                    DemoReport.number(value(meters, "rapace.ring.occupancy", tag, "VALUE")));
            report.row("rapace.frames " + direction, DemoReport.number(value(meters, "rapace.frames", tag, "COUNT")));
            report.row("rapace.bytes " + direction,
                    DemoReport.number(value(meters, "rapace.bytes", tag, "COUNT")) + " bytes");
        }
        servedCalls(meters);
    }

    /** Every (service, method, outcome) the plugin's {@code rapace.server.calls} timer has seen. */
    private static void servedCalls(List<MeterReading> meters) {
        report.section("calls served by the plugin (rapace.server.calls; the mean includes the first, cold calls)");
        String format = "%-" + DemoReport.LABEL_WIDTH + "s %-14s %8s %14s";
        report.line(String.format(format, "method", "outcome", "count", "mean"));
        for (MeterReading reading : meters) {
            if (!reading.name().equals("rapace.server.calls") || !reading.statistic().equals("COUNT")
                    || reading.value() == 0) {
                continue;
            }
            Map<String, String> tags = reading.tags();
            double totalSeconds = value(meters, "rapace.server.calls", tags, "TOTAL_TIME");
            String method = "unknown".equals(tags.get("service")) ? "(methods it does not have)"
                    : tags.get("service") + "." + tags.get("method");
            report.line(String.format(format, method, tags.get("outcome"), DemoReport.number(reading.value()),
                    DemoReport.micros(totalSeconds / reading.value() * 1e9)));
        }
    }

    /** The first reading of {@code name} with exactly {@code tags} and one of {@code statistics}; NaN when none. */
    private static double value(List<MeterReading> meters, String name, Map<String, String> tags,
            String... statistics) {
        List<String> wanted = List.of(statistics);
        return meters.stream()
            .filter((reading) -> reading.name().equals(name) && reading.tags().equals(tags)
                    && wanted.contains(reading.statistic()))
            .mapToDouble(MeterReading::value)
            .findFirst()
            .orElse(Double.NaN);
    }

    /** Closes like a well-behaved host; the plugin should notice and exit by itself with code 0. */
    private static int shutdown(RapaceHost host) throws IOException, InterruptedException {
        report.section("closing: the host closes its session and removes the segment file");
        host.session().close();
        Files.deleteIfExists(host.path());
        Process process = host.process();
        if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            report.row("plugin exit", "none within " + PATIENCE.toSeconds() + " s; stopping it");
            return FAILED;
        }
        int code = process.exitValue();
        report.row("plugin exit code", code + ((code == 0) ? " (exited by itself: the host closed)" : " (expected 0)"));
        return (code == 0) ? OK : FAILED;
    }

    private static void printLogTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            System.err.println("demo: the last lines of the plugin log (" + log + "):");
            lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                .forEach((line) -> System.err.println("  | " + line));
        }
        catch (IOException ex) {
            System.err.println("demo: cannot read the plugin log " + log + ": " + ex.getMessage());
        }
    }

    /** Where the demo's classes come from (its jar, or {@code target/classes}), or null when unknown. */
    private static @Nullable Path demoLocation() {
        try {
            CodeSource source = DemoHost.class.getProtectionDomain().getCodeSource();
            return (source != null) ? Path.of(source.getLocation().toURI()) : null;
        }
        catch (URISyntaxException | RuntimeException ex) {
            return null;
        }
    }

    /** A newer view of Calculator, with a method the sample plugin does not have: shows Unimplemented. */
    @RapaceService("Calculator")
    public interface CalculatorWithSubtract {

        /** Not served by the sample plugin. */
        int subtract(int a, int b);
    }
}
