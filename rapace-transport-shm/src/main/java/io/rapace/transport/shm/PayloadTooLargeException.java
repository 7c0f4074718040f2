package io.rapace.transport.shm;

/** A payload is larger than a slot; nothing was sent. */
public final class PayloadTooLargeException extends ShmException {

    private final long payloadLength;
    private final int slotSize;

    /** For a payload of {@code payloadLength} bytes and a segment with {@code slotSize}-byte slots. */
    public PayloadTooLargeException(long payloadLength, int slotSize) {
        super("payload of " + payloadLength + " bytes exceeds the slot size of " + slotSize + " bytes");
        this.payloadLength = payloadLength;
        this.slotSize = slotSize;
    }

    /** The payload's length in bytes. */
    public long payloadLength() {
        return payloadLength;
    }

    /** The segment's slot size in bytes. */
    public int slotSize() {
        return slotSize;
    }
}
