package io.rapace.transport.shm.layout;

/**
 * Layout of one SPSC descriptor ring: a 192-byte header of three cache lines followed by
 * {@code capacity} descriptors of {@link DescriptorLayout#LENGTH} bytes.
 *
 * <pre>
 *  +--------------------------------------------+ 0
 *  | visible_head u64 | padding (56)            |   written by the producer (release)
 *  +--------------------------------------------+ 64
 *  | tail u64         | padding (56)            |   written by the consumer (release)
 *  +--------------------------------------------+ 128
 *  | capacity u32     | padding (60)            |   written once by the host
 *  +--------------------------------------------+ 192
 *  | descriptor[0] ... descriptor[capacity - 1] |
 *  +--------------------------------------------+ 192 + capacity * 64
 * </pre>
 *
 * <p>Heads and tails are ever-increasing counters; the descriptor index is
 * {@code counter & (capacity - 1)}.
 */
public final class RingLayout {

    /** Length of the ring header in bytes. */
    public static final int HEADER_LENGTH = 192;

    /** Offset of the u64 count of descriptors published by the producer. */
    public static final int VISIBLE_HEAD_OFFSET = 0;

    /** Offset of the u64 count of descriptors consumed by the consumer. */
    public static final int TAIL_OFFSET = 64;

    /** Offset of the u32 ring capacity (a power of two). */
    public static final int CAPACITY_OFFSET = 128;

    private RingLayout() {
    }

    /** Bytes taken by one ring of {@code capacity} descriptors, header included. */
    public static long ringLength(int capacity) {
        return HEADER_LENGTH + (long) capacity * DescriptorLayout.LENGTH;
    }
}
