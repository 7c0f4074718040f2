package io.rapace.test.aot;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.test.TestSegments;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * A build's AOT training run (at {@code package} time, never a test): creates a segment and a host session,
 * launches the plugin's fast-launch script in training mode ({@value #TRAIN_VARIABLE}{@code =1}: the same java,
 * flags and class path as every later launch, plus {@code -XX:AOTCacheOutput=CACHE}), lets the plugin's own
 * exercise call it, then closes as a host does (heartbeat stops, file removed), so that the plugin exits by
 * itself with code 0 and its JVM writes the AOT cache of a start that really served a session.
 *
 * <p>A plugin's training host is a {@code main} that passes its exercise:
 * <pre>{@code
 * public static void main(String[] args) {
 *     AotTraining.main(args, session -> {
 *         Calculator calculator = RapaceClients.create(Calculator.class, session, AotTraining.clientOptions());
 *         // back to back, as a loaded host calls: the JIT compiles the plugin's path from these profiles at start
 *         for (int i = 0; i < 100_000; i++) {
 *             AotTraining.check(calculator.add(i, 1) == i + 1, "Calculator.add");
 *         }
 *     });
 * }
 * }</pre>
 * run as {@code java -cp CLASSPATH MyTrainingHost SCRIPT CACHE [PLUGIN_ARGUMENT...]} (the segment path is the
 * plugin's first argument, these follow it). The plugin's output goes to {@code CACHE_NAME-training.log} beside
 * the cache.
 */
public final class AotTraining {

    /** The environment variable that turns a fast-launch script into its training run. */
    public static final String TRAIN_VARIABLE = "RAPACE_AOT_TRAIN";

    /** How long any step of the training may take (a loaded build machine is slow). */
    public static final Duration PATIENCE = Duration.ofSeconds(120);

    private AotTraining() {
    }

    /**
     * A training host's {@code main}: {@code args} are {@code SCRIPT CACHE [PLUGIN_ARGUMENT...]}. Prints what was
     * written; on any failure prints why with the plugin's output and exits 1, failing the build.
     */
    public static void main(String[] args, Consumer<RpcSession> exercise) {
        if (args.length < 2) {
            System.err.println("usage: SCRIPT CACHE [PLUGIN_ARGUMENT...]");
            System.exit(2);
        }
        Path cache = Path.of(args[1]).toAbsolutePath();
        try {
            long start = System.nanoTime();
            train(Path.of(args[0]), cache, Arrays.asList(args).subList(2, args.length), exercise);
            System.out.printf("rapace AOT training: %s written (%d KiB) in %.1f s%n", cache,
                    Files.size(cache) / 1024, (System.nanoTime() - start) / 1e9);
        }
        catch (Exception ex) {
            Path log = log(cache);
            System.err.println("rapace AOT training failed: " + ex + "; plugin output:");
            System.err.println(Files.isRegularFile(log) ? readQuietly(log) : "(none)");
            System.exit(1);
        }
    }

    /**
     * Runs one training of {@code script} into {@code cache} (deleted first).
     *
     * @throws IllegalStateException when the plugin did not answer, did not exit 0 in time or wrote no cache
     */
    public static void train(Path script, Path cache, List<String> pluginArguments, Consumer<RpcSession> exercise)
            throws IOException, InterruptedException {
        Files.deleteIfExists(cache);
        Path segment = TestSegments.newPath();
        List<String> command = new ArrayList<>(List.of(script.toAbsolutePath().toString(), segment.toString()));
        command.addAll(pluginArguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(Redirect.to(log(cache).toFile()));
        builder.environment().put(TRAIN_VARIABLE, "1");
        ShmTransport transport = ShmTransport.create(segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults());
        Process plugin = builder.start();
        try {
            exercise.accept(session);
            // Close as a host does: the heartbeat stops and the file goes; the plugin exits 0 by itself.
            session.close();
            Files.deleteIfExists(segment);
            check(plugin.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the plugin exits within " + PATIENCE);
            check(plugin.exitValue() == 0, "the plugin exits with code 0, not " + plugin.exitValue());
            check(Files.isRegularFile(cache), "the plugin's JVM writes the AOT cache " + cache);
        }
        finally {
            session.close();
            if (plugin.isAlive()) {
                plugin.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(segment);
        }
    }

    /** Client options for an exercise: calls wait up to {@link #PATIENCE}. */
    public static ClientOptions clientOptions() {
        return ClientOptions.defaults().withTimeout(PATIENCE);
    }

    /** Runs {@code call}, which must fail with {@code code}: trains the plugin's error path. */
    public static void expectError(ErrorCode code, Runnable call) {
        try {
            call.run();
        }
        catch (RapaceException ex) {
            check(ex.errorCode() == code, "expected " + code + ", got " + ex.errorCode());
            return;
        }
        throw new IllegalStateException("expected " + code + ", got an answer");
    }

    /** Fails the training unless {@code condition} holds; {@code what} says what was expected. */
    public static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("not so: " + what);
        }
    }

    private static Path log(Path cache) {
        String name = cache.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return cache.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-training.log");
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        }
        catch (IOException ex) {
            return "(unreadable: " + ex.getMessage() + ")";
        }
    }
}
