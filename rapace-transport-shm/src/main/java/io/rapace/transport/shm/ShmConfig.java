package io.rapace.transport.shm;

import io.rapace.transport.shm.layout.ShmLayout;

/**
 * The geometry of a segment: ring capacity, slot size and slot count.
 *
 * @param ringCapacity descriptors per ring; a power of two {@code >= 1}
 * @param slotSize bytes per slot, the largest payload a frame may carry; {@code > 0}
 * @param slotCount number of slots in the shared pool; {@code > 0}
 */
public record ShmConfig(int ringCapacity, int slotSize, int slotCount) {

    /** Largest segment accepted, as the Rust reference ({@code RAPACE_SHM_MAX_BYTES}): 512 MiB. */
    public static final long MAX_TOTAL_SIZE = 512L * 1024 * 1024;

    /** The rapace-plugin default geometry, 256 / 65536 / 128, which a Rust plugin assumes. */
    public static final ShmConfig PLUGIN_DEFAULT = new ShmConfig(256, 65536, 128);

    /** The Rust {@code ShmSessionConfig::default()} geometry, 256 / 4096 / 64. */
    public static final ShmConfig REFERENCE_DEFAULT = new ShmConfig(256, 4096, 64);

    /** Validates every field; errors name the field and its value. */
    public ShmConfig {
        if (ringCapacity < 1 || Integer.bitCount(ringCapacity) != 1) {
            throw new IllegalArgumentException("ringCapacity=" + ringCapacity + " must be a power of two >= 1");
        }
        if (slotSize <= 0) {
            throw new IllegalArgumentException("slotSize=" + slotSize + " must be > 0");
        }
        if (slotCount <= 0) {
            throw new IllegalArgumentException("slotCount=" + slotCount + " must be > 0");
        }
        long total = ShmLayout.v1(ringCapacity, slotSize, slotCount).totalSize();
        if (total > MAX_TOTAL_SIZE) {
            throw new IllegalArgumentException("segment size " + total + " bytes (ringCapacity=" + ringCapacity
                    + ", slotSize=" + slotSize + ", slotCount=" + slotCount + ") exceeds the maximum "
                    + MAX_TOTAL_SIZE + " bytes");
        }
    }

    /** The v1.0 byte layout of this geometry. */
    public ShmLayout layout() {
        return ShmLayout.v1(ringCapacity, slotSize, slotCount);
    }

    /** Exact segment size in bytes, by the formula of spec §2. */
    public long totalSize() {
        return layout().totalSize();
    }

    /** A compact description, {@code ring_capacity=256 slot_size=65536 slot_count=128}. */
    public String describe() {
        return "ring_capacity=" + ringCapacity + " slot_size=" + slotSize + " slot_count=" + slotCount;
    }
}
