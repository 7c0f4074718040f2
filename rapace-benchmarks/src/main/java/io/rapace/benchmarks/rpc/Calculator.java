package io.rapace.benchmarks.rpc;

/**
 * The sample plugin's {@code Calculator.add(i32, i32) -> i32} as a client sees it: the service every peer of
 * the comparison serves (the Spring sample plugin, the C reference peer's plugin role, {@link CalculatorPluginMain}).
 */
public interface Calculator {

    /** Adds two numbers. */
    int add(int a, int b);
}
