package io.rapace.demo;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rapace.core.RapaceException;
import io.rapace.core.runtime.RapaceHost;
import io.rapace.core.service.RapaceService;

/**
 * The demo: a plain-Java rapace host that creates a segment, launches the sample Spring Boot plugin jar
 * with this JVM's own {@code java}, calls every kind of method (unary, server streaming, bytes, an error),
 * measures the latency of many small calls, prints the plugin's health and metrics (read through its
 * actuator over JMX), then closes the segment and waits for the plugin to exit by itself.
 *
 * <p>Usage: {@code java -jar sample-host-demo/target/sample-host-demo.jar [PLUGIN_JAR]}; the plugin jar
 * defaults to {@code sample-plugin-app/target/sample-plugin-app.jar} (from the repository root or from this
 * module's directory).
 */
public final class DemoHost {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private static final int LATENCY_CALLS = 10_000;

    private DemoHost() {
    }

    /** Runs the demo; exits non-zero when something fails. */
    public static void main(String[] args) throws Exception {
        Path jar = pluginJar(args);
        Path log = Files.createTempFile("sample-plugin-", ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        System.out.println("== rapace demo host");
        System.out.println("plugin jar : " + jar);
        System.out.println("plugin log : " + log);
        RapaceHost host = RapaceHost.builder()
            .command(java, "-jar", jar.toString())
            .redirectOutput(Redirect.to(log.toFile()))
            .redirectError(Redirect.appendTo(log.toFile()))
            .callTimeout(PATIENCE)
            .start();
        try {
            System.out.println("segment    : " + host.path() + " (pid " + host.process().pid() + ")");
            host.awaitPluginStarted(PATIENCE);
            Calculator calculator = host.client(Calculator.class);
            Hasher hasher = host.client(Hasher.class);
            calls(calculator, hasher, host.client(CalculatorWithSubtract.class));
            latency(calculator);
            actuator(host.process().pid());
            shutdown(host);
        }
        finally {
            host.close();
            Files.deleteIfExists(log);
        }
    }

    private static void calls(Calculator calculator, Hasher hasher, CalculatorWithSubtract newer) {
        System.out.println();
        System.out.println("== calls");
        System.out.println("Calculator.add(2, 3)          = " + calculator.add(2, 3));
        System.out.println("Calculator.range(5)           = " + calculator.range(5).collectList().block(PATIENCE));
        byte[] data = "hello, rapace".getBytes(StandardCharsets.UTF_8);
        System.out.println("Hasher.sha256(\"hello, rapace\") = " + HexFormat.of().formatHex(hasher.sha256(data)));
        try {
            calculator.add(Integer.MAX_VALUE, 1);
            System.out.println("Calculator.add(MAX, 1)        = no error?!");
        }
        catch (RapaceException ex) {
            System.out.println("Calculator.add(MAX, 1)        -> " + ex.errorCode() + ": " + ex.getMessage());
        }
        try {
            newer.subtract(5, 3);
        }
        catch (RapaceException ex) {
            System.out.println("Calculator.subtract(5, 3)     -> " + ex.errorCode() + ": " + ex.getMessage());
        }
    }

    private static void latency(Calculator calculator) {
        for (int i = 0; i < 2_000; i++) {
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
        System.out.println();
        System.out.printf("== latency of %,d Calculator.add calls (after 2,000 warm-up calls)%n", LATENCY_CALLS);
        System.out.printf("p50 %s   p99 %s   max %s   throughput %,.0f calls/s%n", micros(nanos[LATENCY_CALLS / 2]),
                micros(nanos[LATENCY_CALLS * 99 / 100]), micros(nanos[LATENCY_CALLS - 1]),
                LATENCY_CALLS / (total / 1e9));
    }

    private static void actuator(long pid) {
        System.out.println();
        System.out.println("== plugin actuator (JMX)");
        try (PluginActuator actuator = PluginActuator.attach(pid, PATIENCE)) {
            Map<String, Object> health = actuator.health();
            Object rapace = (health.get("components") instanceof Map<?, ?> components) ? components.get("rapace") : null;
            System.out.println("health           : " + health.get("status"));
            System.out.println("health rapace    : " + rapace);
            for (String name : List.of("rapace.ring.capacity", "rapace.slots.count", "rapace.slots.in.use",
                    "rapace.peer.heartbeat.age")) {
                System.out.printf("%-32s %s%n", name, format(actuator.measurement(name, "VALUE")));
            }
            for (String direction : List.of("send", "receive")) {
                System.out.printf("%-32s %s%n", "rapace.ring.occupancy " + direction,
                        format(actuator.measurement("rapace.ring.occupancy", "VALUE", "direction:" + direction)));
                System.out.printf("%-32s %s%n", "rapace.frames " + direction,
                        format(actuator.measurement("rapace.frames", "COUNT", "direction:" + direction)));
                System.out.printf("%-32s %s%n", "rapace.bytes " + direction,
                        format(actuator.measurement("rapace.bytes", "COUNT", "direction:" + direction)));
            }
            System.out.printf("%-32s %s%n", "rapace.frames.invalid",
                    format(actuator.measurement("rapace.frames.invalid", "COUNT")));
            for (String[] call : List.of(new String[] { "Calculator", "add", "OK" },
                    new String[] { "Calculator", "add", "OUT_OF_RANGE" }, new String[] { "Calculator", "range", "OK" },
                    new String[] { "Hasher", "sha256", "OK" }, new String[] { "unknown", "unknown", "UNIMPLEMENTED" })) {
                String[] tags = { "service:" + call[0], "method:" + call[1], "outcome:" + call[2] };
                System.out.printf("%-32s count %s, mean %s%n",
                        "rapace.server.calls " + call[0] + "." + call[1] + " " + call[2],
                        format(actuator.measurement("rapace.server.calls", "COUNT", tags)),
                        meanMicros(actuator, tags));
            }
        }
    }

    private static void shutdown(RapaceHost host) throws IOException, InterruptedException {
        System.out.println();
        System.out.println("== closing: the host closes its session and removes the segment file");
        host.session().close();
        Files.deleteIfExists(host.path());
        Process process = host.process();
        if (process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
            System.out.println("the plugin exited by itself with code " + process.exitValue());
        }
        else {
            System.out.println("the plugin did not exit within " + PATIENCE + "; stopping it");
        }
    }

    private static String meanMicros(PluginActuator actuator, String[] tags) {
        double count = actuator.measurement("rapace.server.calls", "COUNT", tags);
        double totalSeconds = actuator.measurement("rapace.server.calls", "TOTAL_TIME", tags);
        if (Double.isNaN(count) || count == 0 || Double.isNaN(totalSeconds)) {
            return "-";
        }
        return micros((long) (totalSeconds / count * 1e9));
    }

    private static String format(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return (value == Math.rint(value)) ? String.format("%,.0f", value) : String.format("%,.6f", value);
    }

    private static String micros(long nanos) {
        return String.format("%.1f µs", nanos / 1_000.0);
    }

    private static Path pluginJar(String[] args) {
        List<Path> candidates = (args.length > 0) ? List.of(Path.of(args[0]))
                : List.of(Path.of("sample-plugin-app/target/sample-plugin-app.jar"),
                        Path.of("../sample-plugin-app/target/sample-plugin-app.jar"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("the sample plugin jar is not at " + candidates
                + ": build it first with ./mvnw -B -ntp -q -DskipTests package, or pass its path");
    }

    /** A newer view of Calculator, with a method the sample plugin does not have: shows Unimplemented. */
    @RapaceService("Calculator")
    public interface CalculatorWithSubtract {

        /** Not served by the sample plugin. */
        int subtract(int a, int b);
    }
}
