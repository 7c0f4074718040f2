package io.rapace.transport.shm.layout;

/**
 * Layout of the 64-byte {@code DataSegmentHeader} that follows the two rings.
 *
 * <pre>
 *  0            4             8                12         16          24               64
 *  +------------+-------------+----------------+----------+-----------+----------------+
 *  | slot_size  | slot_count  | max_frame_size | padding  | free_head | padding (40)   |
 *  |   u32      |   u32       |   u32          |          |   u64     |                |
 *  +------------+-------------+----------------+----------+-----------+----------------+
 * </pre>
 *
 * <p>Written once by the host at creation; read by the plugin to learn the geometry.
 */
public final class DataSegmentLayout {

    /** Length of the data segment header in bytes. */
    public static final int LENGTH = 64;

    /** Offset of the u32 size of one slot in bytes. */
    public static final int SLOT_SIZE_OFFSET = 0;

    /** Offset of the u32 number of slots. */
    public static final int SLOT_COUNT_OFFSET = 4;

    /** Offset of the u32 largest frame payload, equal to the slot size. */
    public static final int MAX_FRAME_SIZE_OFFSET = 8;

    /** Offset of the u64 free-list head: initialised to 0, unused by v1.0 allocators. */
    public static final int FREE_HEAD_OFFSET = 16;

    private DataSegmentLayout() {
    }
}
