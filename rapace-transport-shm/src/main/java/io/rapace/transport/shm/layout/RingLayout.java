package io.rapace.transport.shm.layout;

/**
 * Layout of one SPSC descriptor ring: a 192-byte header of three cache lines followed by
 * {@code capacity} descriptors of {@link DescriptorLayout#LENGTH} bytes.
 *
 * <pre>
 *  +--------------------------------------------+ 0
 *  | visible_head u64 | wake_seq u32 | pad (52) |   written by the producer (release; wake_seq atomic add)
 *  +--------------------------------------------+ 64
 *  | tail u64 | consumer_waiting u32 | pad (52) |   written by the consumer (release; waiting volatile)
 *  +--------------------------------------------+ 128
 *  | capacity u32     | padding (60)            |   written once by the host
 *  +--------------------------------------------+ 192
 *  | descriptor[0] ... descriptor[capacity - 1] |
 *  +--------------------------------------------+ 192 + capacity * 64
 * </pre>
 *
 * <p>Heads and tails are ever-increasing counters; the descriptor index is
 * {@code counter & (capacity - 1)}.
 *
 * <p>{@code wake_seq} and {@code consumer_waiting} belong to the optional wake extension
 * ({@code docs/wake-extension.md}, spec §7): they lie in v1.0 padding, which a v1.0 peer leaves zero,
 * and are used only when {@link SegmentLayout#FLAG_WAKE_A} and {@link SegmentLayout#FLAG_WAKE_B} are
 * both set.
 */
public final class RingLayout {

    /** Length of the ring header in bytes. */
    public static final int HEADER_LENGTH = 192;

    /** Offset of the u64 count of descriptors published by the producer. */
    public static final int VISIBLE_HEAD_OFFSET = 0;

    /**
     * Offset of the u32 {@code wake_seq} (wake extension): the futex word the consumer sleeps on.
     * Writer: the ring's producer, by atomic add of 1 before each {@code FUTEX_WAKE} (and the
     * consumer's own transport when it closes, also by atomic add). Reader: the consumer, with acquire,
     * before it sleeps; the kernel compares it in {@code FUTEX_WAIT}.
     */
    public static final int WAKE_SEQ_OFFSET = 8;

    /** Offset of the u64 count of descriptors consumed by the consumer. */
    public static final int TAIL_OFFSET = 64;

    /**
     * Offset of the u32 {@code consumer_waiting} (wake extension): 1 while the consumer is about to
     * sleep or sleeping on {@code wake_seq}, else 0. Writer: the ring's consumer (volatile store of 1,
     * i.e. followed by a full fence; release store of 0). Reader: the producer, after its release of
     * {@code visible_head} and a full fence.
     */
    public static final int CONSUMER_WAITING_OFFSET = 72;

    /** Offset of the u32 ring capacity (a power of two). */
    public static final int CAPACITY_OFFSET = 128;

    private RingLayout() {
    }

    /** Bytes taken by one ring of {@code capacity} descriptors, header included. */
    public static long ringLength(int capacity) {
        return HEADER_LENGTH + (long) capacity * DescriptorLayout.LENGTH;
    }
}
