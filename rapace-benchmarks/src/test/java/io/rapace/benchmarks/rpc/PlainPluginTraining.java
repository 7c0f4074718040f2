package io.rapace.benchmarks.rpc;

import io.rapace.core.ErrorCode;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.session.RpcSession;
import io.rapace.test.aot.AotTraining;

/**
 * The build's AOT training host for the plain-Java plugin's fast launch {@code target/plain-plugin} (run at
 * {@code package} time, never a test): an {@link AotTraining} run of {@link CalculatorPluginMain} that calls
 * {@code Calculator.add} and an unknown method (docs/startup.md). Not its overflow: the plugin then logs a
 * warning with a stack trace, whose classes a healthy start does not need.
 *
 * <p>Usage: {@code java -cp TEST_CLASSPATH io.rapace.benchmarks.rpc.PlainPluginTraining SCRIPT CACHE}.
 */
public final class PlainPluginTraining {

    private PlainPluginTraining() {
    }

    /** Runs one training. Exits 1 (failing the build) when the plugin did not serve, exit 0 or write the cache. */
    public static void main(String[] args) {
        AotTraining.main(args, PlainPluginTraining::exercise);
    }

    /** Answers and an unknown method, so that the session, codec and dispatch classes are in the cache. */
    private static void exercise(RpcSession session) {
        Calculator calculator = RapaceClients.create(Calculator.class, session, AotTraining.clientOptions());
        Unknown unknown = RapaceClients.create(Unknown.class, session, AotTraining.clientOptions());
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 10; i++) {
                AotTraining.check(calculator.add(round, i) == round + i, "Calculator.add answers the sum");
            }
            AotTraining.expectError(ErrorCode.UNIMPLEMENTED, () -> unknown.subtract(5, 3));
        }
    }

    /** A method the plugin does not have: trains the UNIMPLEMENTED answer. */
    @RapaceService("Calculator")
    public interface Unknown {

        /** Not served by the plugin. */
        int subtract(int a, int b);
    }
}
