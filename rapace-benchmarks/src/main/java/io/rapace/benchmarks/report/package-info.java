/**
 * The machine-readable side of the harnesses: {@code RESULT} lines, percentile files and the latency chart
 * that {@code rapace-benchmarks/compare} collects into {@code docs/BENCHMARKS.md}.
 */
@NullMarked
package io.rapace.benchmarks.report;

import org.jspecify.annotations.NullMarked;
