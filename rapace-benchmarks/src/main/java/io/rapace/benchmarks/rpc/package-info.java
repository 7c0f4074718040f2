/**
 * RPC figures: two-process harnesses and benchmarks of sessions and typed service calls.
 */
@NullMarked
package io.rapace.benchmarks.rpc;

import org.jspecify.annotations.NullMarked;
