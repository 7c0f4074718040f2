package io.rapace.transport.shm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import io.rapace.transport.shm.layout.ShmLayout;

/** A mapped segment file, its geometry, the arena whose closing unmaps it, and the hold on the file (its lock). */
record MappedSegment(Arena arena, MemorySegment segment, ShmLayout layout, SegmentFile file) {

    /** Unmaps and lets the file go (its lock with it). */
    void close() {
        try {
            arena.close();
        }
        finally {
            file.release();
        }
    }
}
