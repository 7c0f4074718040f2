/**
 * Figures of the shared-memory transport: a two-process latency and throughput harness and JMH
 * micro-benchmarks of the send/receive path.
 */
@NullMarked
package io.rapace.benchmarks.transport;

import org.jspecify.annotations.NullMarked;
