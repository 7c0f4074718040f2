package io.rapace.benchmarks.startup;

import io.rapace.core.runtime.RapacePlugin;

/** A plain-Java plugin serving {@link Calculator} with {@link RapacePlugin#run}: the floor of a JVM plugin's start-up. */
public final class CalculatorPluginMain {

    private CalculatorPluginMain() {
    }

    /** Runs the plugin on the segment named by {@code args}. */
    public static void main(String[] args) {
        Calculator calculator = Math::addExact;
        RapacePlugin.run(args, calculator);
    }
}
