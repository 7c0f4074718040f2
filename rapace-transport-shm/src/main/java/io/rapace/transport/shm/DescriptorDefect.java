package io.rapace.transport.shm;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;

import org.jspecify.annotations.Nullable;

/** Why a received descriptor is invalid (spec §2); such a descriptor is counted and dropped. */
enum DescriptorDefect {

    /** An inline payload longer than 16 bytes. */
    INLINE_TOO_LONG,
    /** A slot index at or past the slot count. */
    SLOT_OUT_OF_RANGE,
    /** {@code payload_offset + payload_len} past the end of the slot. */
    PAYLOAD_OUT_OF_SLOT,
    /** The slot's generation differs from the descriptor's. */
    STALE_GENERATION,
    /** The slot is not InFlight. */
    WRONG_STATE;

    /**
     * The first defect of a loaded descriptor, or null when it is valid. Reads only the slot metadata
     * of an index already checked to be in range; never reads outside the mapping.
     */
    static @Nullable DescriptorDefect find(ReceivedFrame frame, SlotPool slots) {
        long length = Integer.toUnsignedLong(frame.rawPayloadLength());
        if (frame.isInline()) {
            return length > DescriptorLayout.INLINE_CAPACITY ? INLINE_TOO_LONG : null;
        }
        if (Integer.compareUnsigned(frame.slot(), slots.slotCount()) >= 0) {
            return SLOT_OUT_OF_RANGE;
        }
        if (Integer.toUnsignedLong(frame.rawPayloadOffset()) + length > slots.slotSize()) {
            return PAYLOAD_OUT_OF_SLOT;
        }
        if (slots.generation(frame.slot()) != frame.generation()) {
            return STALE_GENERATION;
        }
        if (slots.state(frame.slot()) != SlotMetaLayout.IN_FLIGHT) {
            return WRONG_STATE;
        }
        return null;
    }

    /** A log line naming the values that made the descriptor invalid. */
    String describe(ReceivedFrame frame, SlotPool slots) {
        String slot = Integer.toUnsignedString(frame.slot());
        return switch (this) {
            case INLINE_TOO_LONG -> "inline payload_len=" + Integer.toUnsignedString(frame.rawPayloadLength())
                    + " exceeds " + DescriptorLayout.INLINE_CAPACITY;
            case SLOT_OUT_OF_RANGE -> "payload_slot=" + slot + " is not below slot_count=" + slots.slotCount();
            case PAYLOAD_OUT_OF_SLOT -> "payload_offset=" + Integer.toUnsignedString(frame.rawPayloadOffset())
                    + " + payload_len=" + Integer.toUnsignedString(frame.rawPayloadLength())
                    + " exceeds slot_size=" + slots.slotSize();
            case STALE_GENERATION -> "payload_generation=" + Integer.toUnsignedString(frame.generation())
                    + " but slot " + slot + " has generation " + Integer.toUnsignedString(slots.generation(frame.slot()));
            case WRONG_STATE -> "slot " + slot + " is " + SlotMetaLayout.stateName(slots.state(frame.slot()))
                    + ", not InFlight";
        };
    }
}
