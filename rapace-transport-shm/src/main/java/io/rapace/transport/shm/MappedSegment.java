package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.ShmLayout;

/** A mapped segment file, its geometry, and the arena whose closing unmaps it. */
record MappedSegment(Arena arena, MemorySegment segment, ShmLayout layout) {
}
