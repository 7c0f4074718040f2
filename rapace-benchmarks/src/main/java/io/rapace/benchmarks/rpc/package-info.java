/**
 * Round-trip harnesses for the RPC session and typed service calls: figures printed to stdout, never asserted.
 */
@NullMarked
package io.rapace.benchmarks.rpc;

import org.jspecify.annotations.NullMarked;
