package io.rapace.sample;

import java.util.Random;

import io.rapace.core.ErrorCode;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.session.RpcSession;
import io.rapace.test.aot.AotTraining;

/**
 * The build's AOT training host for the sample plugin (run at {@code package} time, never a test): an
 * {@link AotTraining} run that calls every kind of method a host calls (unary, error, stream, bytes, an unknown
 * method), so that the cache holds a start that really served a session (docs/startup.md).
 *
 * <p>Usage: {@code java -cp TEST_CLASSPATH io.rapace.sample.AotTrainingHost SCRIPT CACHE [PLUGIN_ARGUMENT...]}.
 */
public final class AotTrainingHost {

    /** Calls made each after a pause of 1 ms (the plugin's receive sleeps in the kernel meanwhile). */
    private static final int IDLE_ROUNDS = 400;

    /** Calls made back to back, as a host under load makes them (the plugin's receive spins between them). */
    private static final int BACK_TO_BACK_CALLS = 100_000;

    private AotTrainingHost() {
    }

    /** Runs one training. Exits 1 (failing the build) when the plugin did not serve, exit 0 or write the cache. */
    public static void main(String[] args) {
        AotTraining.main(args, AotTrainingHost::exercise);
    }

    /** A few calls of every kind, so that the session, codec and dispatch classes are in the cache. */
    private static void exercise(RpcSession session) {
        ClientOptions options = AotTraining.clientOptions();
        Calculator calculator = RapaceClients.create(Calculator.class, session, options);
        Hasher hasher = RapaceClients.create(Hasher.class, session, options);
        Unknown unknown = RapaceClients.create(Unknown.class, session, options);
        byte[] data = new byte[50_000];
        new Random(42).nextBytes(data);
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 10; i++) {
                AotTraining.check(calculator.add(round, i) == round + i, "Calculator.add answers the sum");
            }
            AotTraining.check(calculator.range(20).collectList().block(AotTraining.PATIENCE).size() == 20,
                    "Calculator.range(20) streams 20 items");
            AotTraining.check(hasher.sha256(data).length == 32, "Hasher.sha256 answers 32 bytes");
            AotTraining.expectError(ErrorCode.OUT_OF_RANGE, () -> calculator.add(Integer.MAX_VALUE, 1));
            AotTraining.expectError(ErrorCode.UNIMPLEMENTED, () -> unknown.subtract(5, 3));
        }
        // Calls back to back: the profiles of the path a loaded plugin runs, so that the JIT compiles it from them at
        // once instead of compiling it from the few calls above, then again after the traps those profiles left
        // (docs/startup.md, "What is trained").
        for (int i = 0; i < BACK_TO_BACK_CALLS; i++) {
            AotTraining.check(calculator.add(i, 1) == i + 1, "Calculator.add answers the sum");
        }
        // Calls after short pauses: the plugin's receive goes to sleep in the kernel before each and wakes for it, so
        // that the cache holds the profiles of that sleep and wake-up too (the first call after an idle period runs
        // it; docs/startup.md).
        for (int i = 0; i < IDLE_ROUNDS; i++) {
            AotTraining.check(calculator.add(i, 1) == i + 1, "Calculator.add answers the sum");
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A method the sample plugin does not have: trains the UNIMPLEMENTED answer. */
    @RapaceService("Calculator")
    public interface Unknown {

        /** Not served by the sample plugin. */
        int subtract(int a, int b);
    }
}
