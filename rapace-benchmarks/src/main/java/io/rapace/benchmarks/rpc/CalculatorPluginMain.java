package io.rapace.benchmarks.rpc;

import io.rapace.core.runtime.RapacePlugin;

/**
 * A plain-Java plugin (no Spring) serving {@link Calculator} with {@link RapacePlugin#run}: the start-up and
 * idle figures of the smallest Java plugin. Launched as {@code java -cp rapace-benchmarks.jar
 * io.rapace.benchmarks.rpc.CalculatorPluginMain PATH}.
 */
public final class CalculatorPluginMain {

    private CalculatorPluginMain() {
    }

    /** Runs the plugin on the segment named by {@code args}. */
    public static void main(String[] args) {
        Calculator calculator = Math::addExact;
        RapacePlugin.run(args, calculator);
    }
}
