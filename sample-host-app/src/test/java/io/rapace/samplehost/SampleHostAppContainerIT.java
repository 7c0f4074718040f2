package io.rapace.samplehost;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application with its plugin from the sample plugin's container image (the launch form
 * {@code rapace.plugins.calculator.image}, docs/host.md): it answers through the container, survives a
 * {@code docker kill} of it (a new container, a new segment directory), and leaves no container and no directory
 * when it stops. Skipped, saying why, without a Docker engine or the image (built by sample-plugin-app's
 * integration-test phase).
 */
class SampleHostAppContainerIT {

    private static final String IMAGE = "rapace/sample-plugin:dev";

    private static final String LABEL = "io.rapace.host.plugin=calculator";

    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private static final Pattern SEGMENT = Pattern.compile("\"segment\":\"([^\"]+)\"");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Process app;

    @BeforeAll
    static void engineAndImage() throws Exception {
        Assumptions.assumeTrue(docker("info").exitCode() == 0, "no Docker engine answers: container test skipped");
        Assumptions.assumeTrue(docker("image", "inspect", IMAGE).exitCode() == 0,
                "no image " + IMAGE + " (sample-plugin-app builds it when an engine answers): container test skipped");
    }

    @AfterEach
    void stopApp() throws Exception {
        if (this.app != null && this.app.isAlive()) {
            this.app.descendants().forEach(ProcessHandle::destroyForcibly);
            this.app.destroyForcibly();
        }
        for (String left : containers("-a")) {
            docker("rm", "-f", left);
        }
    }

    /** Tomcat's base directory (Spring Boot's default, a directory in /tmp, outlives the application). */
    @TempDir
    Path tomcat;

    @Test
    void runsThePluginFromItsImageSurvivesDockerKillAndLeavesNothingBehind() throws Exception {
        assertThat(containers("-a")).as("no container of an earlier run").isEmpty();
        int port = freePort();
        Path log = Files.createTempFile("sample-host-app-container", ".log");
        String java = ProcessHandle.current().info().command().orElseThrow();
        this.app = new ProcessBuilder(java, "-jar", System.getProperty("sample.host.jar"), "--server.port=" + port,
                "--server.tomcat.basedir=" + this.tomcat,
                "--rapace.plugins.calculator.jar=", "--rapace.plugins.calculator.image=" + IMAGE,
                "--rapace.plugins.calculator.container.options=--cpus=1,--memory=512m",
                "--rapace.plugins.calculator.arguments=--rapace.peer-gone-after=10s",
                "--rapace.plugins.calculator.start-timeout=120s")
            .directory(Path.of(System.getProperty("repository.root")).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        String base = "http://localhost:" + port;
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> get(base + "/calc/add?a=2&b=3").body().equals("5"));
        assertThat(get(base + "/hash/sha256?text=abc").body())
            .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        List<String> first = containers();
        assertThat(first).hasSize(1);
        Path firstSegment = Path.of(match(SEGMENT, get(base + "/actuator/rapacePlugins/calculator").body()));
        assertThat(firstSegment.getParent().getFileName().toString()).startsWith("rapace-container-host-");
        assertThat(docker("inspect", "--format", "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} "
                + "{{.HostConfig.NetworkMode}}", first.getFirst()).output().trim())
            .isEqualTo("1000000000 536870912 none");

        assertThat(docker("kill", first.getFirst()).exitCode()).isZero();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .until(() -> get(base + "/actuator/health").body().contains("\"incarnation\":2")
                    && get(base + "/calc/add?a=20&b=22").body().equals("42"));
        assertThat(get(base + "/actuator/health").body()).contains("\"restarts\":1").contains("\"lastExitCode\":137");
        List<String> second = containers();
        assertThat(second).hasSize(1).doesNotContainAnyElementsOf(first);
        assertThat(firstSegment.getParent()).as("the first incarnation's directory").doesNotExist();
        Path secondSegment = Path.of(match(SEGMENT, get(base + "/actuator/rapacePlugins/calculator").body()));

        this.app.destroy();
        assertThat(this.app.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(containers("-a")).as("no container left").isEmpty();
        assertThat(secondSegment.getParent()).as("no segment directory left").doesNotExist();
        String output = Files.readString(log);
        String shutdown = output.substring(output.indexOf("Commencing graceful shutdown"));
        assertThat(shutdown).doesNotContain("restarting in").contains("stopped with exit code 143");
        Files.delete(log);
    }

    /** Names of this application's plugin containers (running ones; all with {@code -a}). */
    private static List<String> containers(String... all) throws Exception {
        List<String> command = new ArrayList<>(List.of("ps", "--filter", "label=" + LABEL, "--format", "{{.Names}}"));
        command.addAll(List.of(all));
        return docker(command.toArray(String[]::new)).output().lines().filter((line) -> !line.isBlank()).toList();
    }

    /**
     * What a docker command did.
     *
     * @param exitCode its exit code
     * @param output its standard output and error
     */
    private record Docker(int exitCode, String output) {
    }

    private static Docker docker(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(arguments));
        Process docker;
        try {
            docker = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (IOException noDocker) {
            return new Docker(-1, noDocker.toString());
        }
        docker.getOutputStream().close();
        String output = new String(docker.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!docker.waitFor(60, TimeUnit.SECONDS)) {
            docker.destroyForcibly();
            return new Docker(-1, output);
        }
        return new Docker(docker.exitValue(), output);
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
