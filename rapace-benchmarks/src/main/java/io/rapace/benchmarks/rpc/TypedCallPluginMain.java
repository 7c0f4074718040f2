package io.rapace.benchmarks.rpc;

import io.rapace.core.runtime.RapacePlugin;

/** The plugin process of {@link TypedCallHarness}: serves {@link TypedCalculator} with {@link RapacePlugin#run}. */
public final class TypedCallPluginMain {

    private TypedCallPluginMain() {
    }

    /** Runs the plugin on the segment named by {@code args}. */
    public static void main(String[] args) {
        TypedCalculator calculator = (a, b) -> a + b;
        RapacePlugin.run(args, calculator);
    }
}
