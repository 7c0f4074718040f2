package io.rapace.benchmarks.rpc;

/** The service the typed-call harness measures: one tiny unary method. */
public interface TypedCalculator {

    /** Adds two numbers. */
    int add(int a, int b);
}
