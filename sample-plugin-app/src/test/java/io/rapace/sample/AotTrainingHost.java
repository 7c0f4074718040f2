package io.rapace.sample;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * The build's AOT training host (run at {@code package} time, never a test): creates a segment, launches the
 * fast-launch script in training mode ({@code RAPACE_AOT_TRAIN=1}: the same java, flags and class path as a
 * real fast launch, plus {@code -XX:AOTCacheOutput}), calls every kind of method a host calls (unary, error,
 * stream, bytes, an unknown method), then closes as a host does (heartbeat stops, file removed), so that the
 * plugin exits by itself with code 0 and the JVM writes the AOT cache of a start that really served a session.
 *
 * <p>Usage: {@code java -cp TEST_CLASSPATH io.rapace.sample.AotTrainingHost SCRIPT CACHE}.
 */
public final class AotTrainingHost {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private AotTrainingHost() {
    }

    /** Runs one training. Exits 1 (failing the build) when the plugin did not serve, exit 0 or write the cache. */
    public static void main(String[] args) throws Exception {
        Path script = Path.of(args[0]).toAbsolutePath();
        Path cache = Path.of(args[1]).toAbsolutePath();
        Files.deleteIfExists(cache);
        long start = System.nanoTime();
        Path directory = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "rapace-aot-training-");
        Path segment = directory.resolve("training.shm");
        Path log = cache.resolveSibling("training.log");
        ShmTransport transport = ShmTransport.create(segment, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults());
        ProcessBuilder builder = new ProcessBuilder(List.of(script.toString(), segment.toString(),
                "--rapace.liveness-timeout=1s"))
            .redirectErrorStream(true)
            .redirectOutput(Redirect.to(log.toFile()));
        builder.environment().put("RAPACE_AOT_TRAIN", "1");
        Process plugin = builder.start();
        try {
            exercise(session);
            // Close as a host does: the heartbeat stops and the file goes; the plugin exits 0 by itself.
            session.close();
            Files.deleteIfExists(segment);
            if (!plugin.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                fail("the training plugin did not exit within " + PATIENCE, log);
            }
            if (plugin.exitValue() != 0) {
                fail("the training plugin exited with code " + plugin.exitValue(), log);
            }
            if (!Files.isRegularFile(cache)) {
                fail("the training run wrote no AOT cache at " + cache, log);
            }
            System.out.printf("rapace AOT training: %s written (%d KiB) in %.1f s%n", cache, Files.size(cache) / 1024,
                    (System.nanoTime() - start) / 1e9);
        }
        finally {
            session.close();
            if (plugin.isAlive()) {
                plugin.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(segment);
            Files.deleteIfExists(directory);
        }
    }

    /** A few calls of every kind, so that the session, codec and dispatch classes are in the cache. */
    private static void exercise(RpcSession session) {
        ClientOptions options = ClientOptions.defaults().withTimeout(PATIENCE);
        Calculator calculator = RapaceClients.create(Calculator.class, session, options);
        Hasher hasher = RapaceClients.create(Hasher.class, session, options);
        Unknown unknown = RapaceClients.create(Unknown.class, session, options);
        byte[] data = new byte[50_000];
        new Random(42).nextBytes(data);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 10; i++) {
                check(calculator.add(round, i) == round + i, "Calculator.add");
            }
            check(calculator.range(20).collectList().block(PATIENCE).size() == 20, "Calculator.range");
            check(hasher.sha256(data).length == 32, "Hasher.sha256");
            expect(ErrorCode.OUT_OF_RANGE, () -> calculator.add(Integer.MAX_VALUE, 1));
            expect(ErrorCode.UNIMPLEMENTED, () -> unknown.subtract(5, 3));
        }
    }

    private static void expect(ErrorCode code, Runnable call) {
        try {
            call.run();
        }
        catch (RapaceException ex) {
            check(ex.errorCode() == code, "expected " + code + ", got " + ex.errorCode());
            return;
        }
        throw new IllegalStateException("expected " + code + ", got an answer");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("wrong answer from " + what);
        }
    }

    private static void fail(String message, Path log) throws IOException {
        System.err.println("rapace AOT training failed: " + message + "; plugin output:");
        System.err.println(Files.isRegularFile(log) ? Files.readString(log) : "(none)");
        System.exit(1);
    }

    /** A method the sample plugin does not have: trains the UNIMPLEMENTED answer. */
    @RapaceService("Calculator")
    public interface Unknown {

        /** Not served by the sample plugin. */
        int subtract(int a, int b);
    }
}
