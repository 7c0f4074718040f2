package io.rapace.transport.shm.layout;

/**
 * Layout of one 64-byte frame descriptor ({@code MsgDescHot}) in a ring.
 *
 * <pre>
 *  0        8          12         16           20            24             28          32      36           40          48               64
 *  +--------+----------+----------+------------+-------------+--------------+-----------+-------+------------+-----------+----------------+
 *  | msg_id | channel  | method   | payload    | payload     | payload      | payload   | flags | credit     | deadline  | inline_payload |
 *  |  u64   | _id u32  | _id u32  | _slot u32  | _generation | _offset u32  | _len u32  |  u32  | _grant u32 | _ns u64   |   u8[16]       |
 *  +--------+----------+----------+------------+-------------+--------------+-----------+-------+------------+-----------+----------------+
 * </pre>
 */
public final class DescriptorLayout {

    /** Length of a descriptor in bytes. */
    public static final int LENGTH = 64;

    /** Offset of the u64 sender-side message counter. */
    public static final int MSG_ID_OFFSET = 0;

    /** Offset of the u32 channel id (0 = control channel). */
    public static final int CHANNEL_ID_OFFSET = 8;

    /** Offset of the u32 method id (requests) or control verb (channel 0). */
    public static final int METHOD_ID_OFFSET = 12;

    /** Offset of the u32 slot index, or {@link #INLINE_SLOT} when the payload is inline. */
    public static final int PAYLOAD_SLOT_OFFSET = 16;

    /** Offset of the u32 slot generation at allocation (0 when inline). */
    public static final int PAYLOAD_GENERATION_OFFSET = 20;

    /** Offset of the u32 payload offset inside the slot. */
    public static final int PAYLOAD_OFFSET_OFFSET = 24;

    /** Offset of the u32 payload length in bytes. */
    public static final int PAYLOAD_LEN_OFFSET = 28;

    /** Offset of the u32 frame flags. */
    public static final int FLAGS_OFFSET = 32;

    /** Offset of the u32 credit grant (0 in v1.0). */
    public static final int CREDIT_GRANT_OFFSET = 36;

    /** Offset of the u64 deadline, or {@link #NO_DEADLINE}. */
    public static final int DEADLINE_NS_OFFSET = 40;

    /** Offset of the 16 inline payload bytes. */
    public static final int INLINE_PAYLOAD_OFFSET = 48;

    /** Number of payload bytes that fit inline. */
    public static final int INLINE_CAPACITY = 16;

    /** The {@code payload_slot} value meaning "payload is inline" (u32 0xFFFFFFFF). */
    public static final int INLINE_SLOT = 0xFFFF_FFFF;

    /** The {@code deadline_ns} value meaning "no deadline" (u64 0xFFFFFFFFFFFFFFFF). */
    public static final long NO_DEADLINE = -1L;

    private DescriptorLayout() {
    }
}
