package io.rapace.benchmarks.startup;

/** The host's view of the sample plugin's {@code Calculator} (wire name {@code Calculator.add}). */
public interface Calculator {

    /** {@code Calculator.add(a: i32, b: i32) -> i32}. */
    int add(int a, int b);
}
