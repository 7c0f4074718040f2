package io.rapace.transport.shm;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.transport.shm.layout.ShmLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;

/**
 * The shared slot pool seen from one peer: allocation by CAS on the state word, generation bumps and
 * freeing. Both peers allocate from the same pool; only the CAS decides who owns a slot.
 */
final class SlotPool {

    private final MemorySegment segment;
    private final ShmLayout layout;
    private final int slotSize;
    private final int slotCount;
    /** Where the next scan starts, so successive senders do not all contend on slot 0. */
    private final AtomicInteger hint = new AtomicInteger();

    SlotPool(MemorySegment segment, ShmLayout layout) {
        this.segment = segment;
        this.layout = layout;
        this.slotSize = layout.slotSize();
        this.slotCount = layout.slotCount();
    }

    int slotSize() {
        return slotSize;
    }

    int slotCount() {
        return slotCount;
    }

    /** Claims a Free slot (Free → Allocated) and returns its index, or -1 when every slot is taken. */
    int tryAllocate() {
        int start = Math.floorMod(hint.get(), slotCount);
        for (int i = 0; i < slotCount; i++) {
            int index = start + i;
            if (index >= slotCount) {
                index -= slotCount;
            }
            long stateOffset = stateOffset(index);
            // acquire read first: skip taken slots without a CAS that would bounce the cache line.
            if (Mem.getIntAcquire(segment, stateOffset) == SlotMetaLayout.FREE
                    // CAS: the other peer and our other senders race for the same Free slot; one wins.
                    && Mem.compareAndSetInt(segment, stateOffset, SlotMetaLayout.FREE, SlotMetaLayout.ALLOCATED)) {
                hint.lazySet(index + 1);
                return index;
            }
        }
        return -1;
    }

    /** Bumps the generation of a slot we own (Allocated) and returns the new value. */
    int bumpGeneration(int index) {
        long offset = generationOffset(index);
        int generation = Mem.getInt(segment, offset) + 1;
        // release: ordered before the later Allocated → InFlight CAS; the receiver reads it with acquire.
        Mem.putIntRelease(segment, offset, generation);
        return generation;
    }

    /** Allocated → InFlight for a slot whose payload is written. */
    void markInFlight(int index) {
        // CAS (volatile): publishes the payload and generation before the descriptor is enqueued.
        if (!Mem.compareAndSetInt(segment, stateOffset(index), SlotMetaLayout.ALLOCATED, SlotMetaLayout.IN_FLIGHT)) {
            throw new ShmException("slot " + index + " left state Allocated while we owned it (now "
                    + SlotMetaLayout.stateName(state(index)) + "): the segment is corrupted");
        }
    }

    /**
     * Frees a slot after its payload is consumed: checks the generation, then InFlight → Free.
     *
     * @return false (and changes nothing) when the generation or state no longer match
     */
    boolean free(int index, int generation) {
        // acquire: read the generation the sender published before trusting the state word.
        if (Mem.getIntAcquire(segment, generationOffset(index)) != generation) {
            return false;
        }
        // CAS: frees exactly once; a second attempt finds the state no longer InFlight.
        return Mem.compareAndSetInt(segment, stateOffset(index), SlotMetaLayout.IN_FLIGHT, SlotMetaLayout.FREE);
    }

    /** Returns a slot we allocated but could not send: Allocated or InFlight → Free. */
    void abandon(int index, int generation) {
        if (!free(index, generation)) {
            // CAS: an Allocated slot (payload copy failed) is still ours.
            Mem.compareAndSetInt(segment, stateOffset(index), SlotMetaLayout.ALLOCATED, SlotMetaLayout.FREE);
        }
    }

    int generation(int index) {
        // acquire: pairs with the sender's release of the new generation.
        return Mem.getIntAcquire(segment, generationOffset(index));
    }

    int state(int index) {
        // acquire: pairs with the sender's CAS to InFlight.
        return Mem.getIntAcquire(segment, stateOffset(index));
    }

    long dataOffset(int index) {
        return layout.slotData(index);
    }

    /** Slots not Free right now (allocated by either peer). */
    int inUse() {
        int used = 0;
        for (int i = 0; i < slotCount; i++) {
            if (state(i) != SlotMetaLayout.FREE) {
                used++;
            }
        }
        return used;
    }

    private long generationOffset(int index) {
        return layout.slotMeta(index) + SlotMetaLayout.GENERATION_OFFSET;
    }

    private long stateOffset(int index) {
        return layout.slotMeta(index) + SlotMetaLayout.STATE_OFFSET;
    }
}
