package io.rapace.spring.boot.autoconfigure.scan;

/** A service interface for the scan tests. */
public interface TestCalculator {

    /** Adds. */
    int add(int a, int b);
}
