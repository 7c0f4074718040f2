package io.rapace.benchmarks.rpc;

import io.rapace.core.service.NonBlocking;

/** The service the typed-call harness measures: one tiny unary method. */
public interface TypedCalculator {

    /** Adds two numbers: pure arithmetic, so the plugin runs it on the thread that received the request. */
    @NonBlocking
    int add(int a, int b);
}
