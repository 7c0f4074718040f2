/**
 * The rapace v1.0 shared-memory transport: a mapped segment with two SPSC descriptor rings, a
 * shared slot pool and heartbeats, byte-compatible with the Rust reference.
 */
@NullMarked
package io.rapace.transport.shm;

import org.jspecify.annotations.NullMarked;
