package io.rapace.transport.shm.layout;

/**
 * Layout of the 8-byte metadata word pair of one slot, and its states.
 *
 * <pre>
 *  0              4           8
 *  +--------------+-----------+
 *  | generation   | state     |
 *  |   u32        |   u32     |
 *  +--------------+-----------+
 * </pre>
 *
 * <p>Life cycle: {@link #FREE} -CAS by the sender-> {@link #ALLOCATED} (generation + 1, payload
 * copied) -CAS-> {@link #IN_FLIGHT} (descriptor enqueued) -CAS by the receiver-> {@link #FREE}.
 * Either peer may allocate any free slot.
 */
public final class SlotMetaLayout {

    /** Length of one slot's metadata in bytes. */
    public static final int LENGTH = 8;

    /** Offset of the u32 generation, incremented on every allocation. */
    public static final int GENERATION_OFFSET = 0;

    /** Offset of the u32 state word. */
    public static final int STATE_OFFSET = 4;

    /** State: the slot may be allocated. */
    public static final int FREE = 0;

    /** State: a sender owns the slot and is writing its payload. */
    public static final int ALLOCATED = 1;

    /** State: the slot's descriptor is (or is about to be) in a ring; the receiver frees it. */
    public static final int IN_FLIGHT = 2;

    private SlotMetaLayout() {
    }

    /** A readable name of a state word, for error messages. */
    public static String stateName(int state) {
        return switch (state) {
            case FREE -> "Free";
            case ALLOCATED -> "Allocated";
            case IN_FLIGHT -> "InFlight";
            default -> "unknown(" + Integer.toUnsignedString(state) + ")";
        };
    }
}
