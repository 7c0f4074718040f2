package io.rapace.transport.shm.layout;

/**
 * Region offsets of one rapace v1.0 segment geometry: the only place where the position of a
 * header, ring, slot or slot's metadata inside the file is computed.
 *
 * <pre>
 *  +-------------------------------+ 0
 *  | SegmentHeader          (64)   |
 *  +-------------------------------+ 64
 *  | ring A->B header       (192)  |  written by the host (peer A), read by the plugin
 *  | ring A->B descriptors  (cap*64)|
 *  +-------------------------------+ 256 + cap*64
 *  | ring B->A header       (192)  |  written by the plugin (peer B), read by the host
 *  | ring B->A descriptors  (cap*64)|
 *  +-------------------------------+ 448 + 2*cap*64
 *  | DataSegmentHeader      (64)   |
 *  +-------------------------------+ 512 + 2*cap*64
 *  | slot metadata      (count*8)  |
 *  +-------------------------------+ 512 + 2*cap*64 + count*8
 *  | slot data   (count*slot_size) |
 *  +-------------------------------+ total size
 * </pre>
 *
 * <p>A later layout version would be a second factory next to {@link #v1(int, int, int)}; nothing
 * outside this class adds offsets of regions together.
 *
 * @param ringCapacity descriptors per ring, a power of two
 * @param slotSize bytes per slot
 * @param slotCount number of slots
 */
public record ShmLayout(int ringCapacity, int slotSize, int slotCount) {

    /** Checks the geometry; the caller names its fields in friendlier terms first (see ShmConfig). */
    public ShmLayout {
        if (ringCapacity < 1 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ring_capacity=" + ringCapacity + " must be a power of two >= 1");
        }
        if (slotSize <= 0) {
            throw new IllegalArgumentException("slot_size=" + slotSize + " must be > 0");
        }
        if (slotCount <= 0) {
            throw new IllegalArgumentException("slot_count=" + slotCount + " must be > 0");
        }
    }

    /** The v1.0 layout of a geometry. */
    public static ShmLayout v1(int ringCapacity, int slotSize, int slotCount) {
        return new ShmLayout(ringCapacity, slotSize, slotCount);
    }

    /** Offset of the segment header (always 0). */
    public long segmentHeader() {
        return 0;
    }

    /** Offset of the header of ring A→B (host to plugin). */
    public long ringAToBHeader() {
        return SegmentLayout.LENGTH;
    }

    /** Offset of the first descriptor of ring A→B. */
    public long ringAToBDescriptors() {
        return ringAToBHeader() + RingLayout.HEADER_LENGTH;
    }

    /** Offset of the header of ring B→A (plugin to host). */
    public long ringBToAHeader() {
        return ringAToBHeader() + RingLayout.ringLength(ringCapacity);
    }

    /** Offset of the first descriptor of ring B→A. */
    public long ringBToADescriptors() {
        return ringBToAHeader() + RingLayout.HEADER_LENGTH;
    }

    /** Offset of the data segment header. */
    public long dataHeader() {
        return ringBToAHeader() + RingLayout.ringLength(ringCapacity);
    }

    /** Offset of the first slot's metadata. */
    public long slotMeta() {
        return dataHeader() + DataSegmentLayout.LENGTH;
    }

    /** Offset of slot {@code index}'s metadata. */
    public long slotMeta(int index) {
        return slotMeta() + (long) index * SlotMetaLayout.LENGTH;
    }

    /** Offset of the first slot's data. */
    public long slotData() {
        return slotMeta() + (long) slotCount * SlotMetaLayout.LENGTH;
    }

    /** Offset of slot {@code index}'s data. */
    public long slotData(int index) {
        return slotData() + (long) index * slotSize;
    }

    /** Exact size of the segment: {@code 64 + 2 × (192 + cap × 64) + 64 + count × 8 + count × slot_size}. */
    public long totalSize() {
        return slotData() + (long) slotCount * slotSize;
    }

    /**
     * Offset of the data segment header of a segment whose ring capacity is known but whose slot
     * geometry is not yet: what an opener needs to read the rest of the geometry.
     */
    public static long dataHeaderOffset(int ringCapacity) {
        return SegmentLayout.LENGTH + 2 * RingLayout.ringLength(ringCapacity);
    }

    /** Offset of the ring A→B header's capacity field, where an opener reads the ring capacity. */
    public static long ringCapacityFieldOffset() {
        return SegmentLayout.LENGTH + RingLayout.CAPACITY_OFFSET;
    }
}
