package io.rapace.samplehost;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.rapace.testsupport.DefaultSigint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The check of issue 14, with the packaged jars: {@code java -jar sample-host-app/target/sample-host-app.jar
 * --server.port=PORT} from the repository root; the plugin is killed with -9 while requests flow; the endpoint must
 * answer again, {@code /actuator/health} must show the restart, and nothing may be left when the app stops. Prints
 * the time from the kill to the first good answer and the calls that failed.
 */
class SampleHostAppIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private static final Pattern PID = Pattern.compile("\"pid\":(\\d+)");

    private static final Pattern SEGMENT = Pattern.compile("\"segment\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Process app;

    /** Tomcat's base directory (Spring Boot's default, a directory in /tmp, outlives the application). */
    @TempDir
    Path tomcat;

    /** The application's output, kept here so that a failed run leaves nothing in /tmp either. */
    @TempDir
    Path logs;

    @AfterEach
    void stopApp() {
        if (this.app != null && this.app.isAlive()) {
            this.app.descendants().forEach(ProcessHandle::destroyForcibly);
            this.app.destroyForcibly();
        }
    }

    @Test
    void survivesKillDashNineOfItsPluginUnderLoadAndLeavesNothingBehind() throws Exception {
        int port = freePort();
        Path log = this.logs.resolve("sample-host-app.log");
        this.app = startApp(List.of(), log, "--server.port=" + port, "--server.tomcat.basedir=" + this.tomcat);
        String base = "http://localhost:" + port;
        awaitAnswers(base);
        assertThat(get(base + "/calc/range?n=5").body()).isEqualTo("[0,1,2,3,4]");
        assertThat(get(base + "/hash/sha256?text=abc").body())
            .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String plugin = get(base + "/actuator/rapacePlugins/calculator").body();
        long pid = Long.parseLong(match(PID, plugin));
        Path segment = Path.of(match(SEGMENT, plugin));
        assertThat(segment).exists();

        AtomicBoolean go = new AtomicBoolean(true);
        AtomicLong killedAt = new AtomicLong();
        AtomicLong firstGoodAfterKill = new AtomicLong();
        AtomicInteger good = new AtomicInteger();
        AtomicInteger failedAfterKill = new AtomicInteger();
        Map<String, Integer> failures = new ConcurrentHashMap<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            callers.add(Thread.ofPlatform().start(() -> {
                int i = 0;
                while (go.get()) {
                    long started = System.nanoTime();
                    try {
                        HttpResponse<String> answer = get(base + "/calc/add?a=" + i + "&b=1");
                        if (answer.statusCode() == 200 && answer.body().equals(Integer.toString(i + 1))) {
                            good.incrementAndGet();
                            long kill = killedAt.get();
                            if (kill != 0 && started - kill > 0) {
                                firstGoodAfterKill.compareAndSet(0, System.nanoTime());
                            }
                        }
                        else {
                            failures.merge(answer.statusCode() + " " + answer.body().split(":")[0], 1, Integer::sum);
                            if (killedAt.get() != 0) {
                                failedAfterKill.incrementAndGet();
                            }
                        }
                    }
                    catch (IOException | InterruptedException ex) {
                        failures.merge(ex.toString(), 1, Integer::sum);
                    }
                    i++;
                }
            }));
        }
        await().atMost(PATIENCE).until(() -> good.get() > 100);
        long kill = System.nanoTime();
        killedAt.set(kill);
        assertThat(ProcessHandle.of(pid).orElseThrow().destroyForcibly()).isTrue();
        await().atMost(PATIENCE).until(() -> firstGoodAfterKill.get() != 0);
        int comeback = good.get();
        await().atMost(PATIENCE).until(() -> good.get() > comeback + 100);
        go.set(false);
        for (Thread caller : callers) {
            caller.join(PATIENCE);
        }
        System.out.printf("sample-host-app, kill -9 of the plugin under load (4 HTTP callers): first good answer "
                + "%.0f ms after the kill; %d request(s) failed after the kill %s; %d good answers%n",
                (firstGoodAfterKill.get() - kill) / 1e6, failedAfterKill.get(), failures, good.get());
        assertThat(failures.keySet()).allSatisfy((failure) -> assertThat(failure).startsWith("503 PEER_DIED"));

        String health = get(base + "/actuator/health").body();
        assertThat(health).contains("\"rapacePlugins\"").contains("\"restarts\":1").contains("\"lastExitCode\":137")
            .contains("\"incarnation\":2");
        String second = get(base + "/actuator/rapacePlugins/calculator").body();
        long secondPid = Long.parseLong(match(PID, second));
        Path secondSegment = Path.of(match(SEGMENT, second));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(segment).doesNotExist();

        this.app.destroy();
        assertThat(this.app.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(secondPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(secondSegment).doesNotExist();
        String output = Files.readString(log);
        String shutdown = output.substring(output.indexOf("Commencing graceful shutdown"));
        assertThat(shutdown).as("the plugin is stopped in order, never killed, after the drain")
            .doesNotContain("exited with code").doesNotContain("restarting in");
        Files.delete(log);
    }

    /**
     * Ctrl-C in the terminal that runs the application: SIGINT to its whole process group (here a session of its own,
     * made by setsid, as a terminal's foreground job). The plugin runs in a group of its own and is not reached: the
     * application drains its requests, then stops the plugin in order; nothing restarts, nothing is left, nothing
     * is logged above INFO from the Ctrl-C on.
     */
    @Test
    void stopsCleanlyOnCtrlCWhileRequestsFlow() throws Exception {
        Path setsid = Path.of("/usr/bin/setsid");
        Assumptions.assumeTrue(Files.isExecutable(setsid), "setsid (util-linux) is needed to make a process group");
        int port = freePort();
        Path log = this.logs.resolve("sample-host-app-ctrl-c.log");
        List<String> prefix = new ArrayList<>(List.of(setsid.toString()));
        prefix.addAll(DefaultSigint.prefix());  // a runner in the background passes SIGINT on ignored
        this.app = startApp(prefix, log, "--server.port=" + port, "--server.tomcat.basedir=" + this.tomcat);
        String base = "http://localhost:" + port;
        awaitAnswers(base);
        String plugin = get(base + "/actuator/rapacePlugins/calculator").body();
        long pid = Long.parseLong(match(PID, plugin));
        Path segment = Path.of(match(SEGMENT, plugin));

        AtomicBoolean go = new AtomicBoolean(true);
        AtomicInteger good = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            callers.add(Thread.ofPlatform().start(() -> {
                while (go.get()) {
                    try {
                        if (get(base + "/calc/add?a=1&b=1").body().equals("2")) {
                            good.incrementAndGet();
                        }
                    }
                    catch (IOException | InterruptedException ex) {
                        // refused once the application stops listening
                    }
                }
            }));
        }
        await().atMost(PATIENCE).until(() -> good.get() > 50);
        // setsid replaced itself with the JVM: the application's pid leads its process group
        Process ctrlC = new ProcessBuilder("kill", "-INT", "--", "-" + this.app.pid()).inheritIO().start();
        assertThat(ctrlC.waitFor()).isZero();
        assertThat(this.app.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the application exits").isTrue();
        go.set(false);
        for (Thread caller : callers) {
            caller.join(PATIENCE);
        }
        assertThat(this.app.exitValue()).isEqualTo(130);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the plugin is gone").isFalse();
        assertThat(segment).doesNotExist();
        String output = Files.readString(log);
        String shutdown = output.substring(output.indexOf("Commencing graceful shutdown"));
        System.out.println("sample-host-app after Ctrl-C:" + System.lineSeparator() + shutdown);
        assertThat(shutdown).doesNotContain("restarting in").doesNotContain("could not be launched")
            .doesNotContain("incarnation 2");
        assertThat(shutdown.lines().filter((line) -> line.matches(".*\\s(WARN|ERROR|WARNING|SEVERE)\\s.*")))
            .as("nothing above INFO from the Ctrl-C on").isEmpty();
        Files.delete(log);
    }

    /** {@code java -jar sample-host-app.jar ARGS} from the repository root, run by {@code prefix} (e.g. setsid). */
    private static Process startApp(List<String> prefix, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "-jar",
                System.getProperty("sample.host.jar")));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
            .directory(Path.of(System.getProperty("repository.root")).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    }

    private void awaitAnswers(String base) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
            .until(() -> get(base + "/calc/add?a=2&b=3").body().equals("5"));
    }

    private HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return this.http.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String match(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        assertThat(matcher.find()).as("%s in %s", pattern, text).isTrue();
        return matcher.group(1);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
