package io.rapace.spring.boot.launch;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.runtime.RapaceHost;

/**
 * One training run of a fast launch: its script started in training mode ({@value #TRAIN_VARIABLE}{@code =1}: the
 * same java, flags and class path as every later launch, plus {@code -XX:AOTCacheOutput}) under a host session that
 * calls the plugin's {@link RapaceOperations} (every plugin of this starter serves it), then closed as a host
 * closes, so that the plugin exits by itself with code 0 and its JVM writes the AOT cache of a start that served a
 * session. The plugin's own services are not called (nothing is known of their arguments): their classes are loaded
 * from the extracted jar at their first call. A plugin that serves no {@link RapaceOperations}
 * ({@code rapace.operations.enabled=false}) is trained on its start alone. The plugin's output goes to
 * {@code fast-launch/NAME-training.log}.
 */
final class FastLaunchTraining {

    /** The environment variable that turns the launcher script into its training run. */
    static final String TRAIN_VARIABLE = "RAPACE_AOT_TRAIN";

    /** Health reads: enough for the JIT's profiles of the session's way, which the cache keeps. */
    private static final int HEALTH_CALLS = 500;

    /** Meter reads. */
    private static final int METRICS_CALLS = 20;

    /** How many of the log's last lines a failure shows. */
    private static final int LOG_LINES = 40;

    private final FastLaunchLayout layout;

    private final Duration patience;

    /**
     * Trains {@code layout}'s cache; each step (the start, the calls, the exit with the cache's writing) gets
     * {@code patience}.
     */
    FastLaunchTraining(FastLaunchLayout layout, Duration patience) {
        this.layout = layout;
        this.patience = patience;
    }

    /**
     * Runs the training, the plugin getting {@code pluginArguments} before its segment path
     * ({@code --shm-path=PATH}).
     *
     * @return whether the plugin served the training's calls (false: it serves no {@link RapaceOperations}, and the
     *     cache holds its start and session alone)
     * @throws IOException when the plugin did not start, serve, exit with 0 or write the cache, with the end of its
     *     output
     */
    boolean run(List<String> pluginArguments) throws IOException, InterruptedException {
        Files.deleteIfExists(this.layout.cache());
        Path log = this.layout.trainingLog();
        Files.deleteIfExists(log);
        Files.createFile(log);
        List<String> command = new ArrayList<>();
        command.add(this.layout.script().toString());
        command.addAll(pluginArguments);
        RapaceHost host;
        boolean served;
        try {
            host = RapaceHost.builder()
                .command(command)
                .pathArgumentPrefix("--shm-path=")
                .environment(Map.of(TRAIN_VARIABLE, "1"))
                .redirectOutput(Redirect.appendTo(log.toFile()))
                .redirectError(Redirect.appendTo(log.toFile()))
                .stopTimeout(this.patience)
                .start();
        }
        catch (RuntimeException ex) {
            throw failure("the training launch of " + this.layout.script() + " failed: " + ex.getMessage(), log);
        }
        try {
            host.awaitPluginStarted(this.patience);
            served = exercise(host.operations());
            // Close as a host does: the session ends and the file goes; the plugin exits 0 by itself, and its JVM
            // writes the cache as it exits.
            host.session().close();
            Files.deleteIfExists(host.path());
            Process plugin = host.process();
            if (!plugin.waitFor(this.patience.toSeconds(), TimeUnit.SECONDS)) {
                throw failure("the plugin did not exit within " + this.patience.toSeconds() + " s of the session's "
                        + "end", log);
            }
            if (plugin.exitValue() != 0) {
                throw failure("the plugin exited with code " + plugin.exitValue() + ", not 0", log);
            }
        }
        catch (RuntimeException ex) {
            throw failure("the training session failed: " + ex.getMessage(), log);
        }
        finally {
            host.close();
        }
        if (!this.layout.cacheNewerThanJar()) {
            throw failure("the plugin's JVM wrote no AOT cache " + this.layout.cache() + " newer than the jar", log);
        }
        return served;
    }

    /** Calls the plugin's operations; false (having called nothing more) when it serves none. */
    private static boolean exercise(RapaceOperations operations) {
        try {
            operations.health();
        }
        catch (RapaceException ex) {
            if (ex.errorCode() == ErrorCode.UNIMPLEMENTED) {
                return false;
            }
            throw ex;
        }
        for (int i = 1; i < HEALTH_CALLS; i++) {
            operations.health();
        }
        for (int i = 0; i < METRICS_CALLS; i++) {
            operations.metrics("");
        }
        return true;
    }

    private static IOException failure(String what, Path log) {
        return new IOException(what + "; the end of the plugin's output (" + log + "):\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()));
        }
        catch (IOException | RuntimeException ex) {
            return "(unreadable: " + ex.getMessage() + ")";
        }
    }
}
