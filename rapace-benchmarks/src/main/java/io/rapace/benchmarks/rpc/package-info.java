/**
 * Round-trip harnesses for the RPC session: figures printed to stdout, never asserted.
 */
@NullMarked
package io.rapace.benchmarks.rpc;

import org.jspecify.annotations.NullMarked;
