package io.rapace.transport.shm;

import java.util.zip.CRC32;

import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The frame stream of the two-process test, rebuilt identically by sender and receiver: frame
 * {@code seq} has a size drawn from a mix (mostly inline and small, 1 in 64 up to a whole slot) and
 * a payload pattern derived from {@code seq}. The receiver checks order, length and CRC-32.
 */
final class Traffic {

    private final int slotSize;

    Traffic(int slotSize) {
        this.slotSize = slotSize;
    }

    /** Payload length of frame {@code seq}. */
    int size(long seq) {
        long h = mix(seq);
        int bucket = (int) (h & 63);
        int r = (int) ((h >>> 8) & 0x7FFF_FFFF);
        if (bucket == 0) {
            return 1 + r % slotSize;
        }
        if (bucket < 24) {
            return r % (DescriptorLayout.INLINE_CAPACITY + 1);
        }
        return DescriptorLayout.INLINE_CAPACITY + 1 + r % 496;
    }

    /** Writes the payload of frame {@code seq} into {@code buffer[0, size(seq))}. */
    void fill(long seq, byte[] buffer, int length) {
        long h = mix(seq ^ 0x5DEECE66DL);
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) (h + i * 131L + (i >>> 7));
        }
    }

    /** CRC-32 of the payload of frame {@code seq}, computed into {@code scratch}. */
    long expectedCrc(long seq, byte[] scratch, int length) {
        fill(seq, scratch, length);
        return crc(scratch, length);
    }

    static long crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Sends frames {@code 0 .. count-1} on channel {@code channel}, the seq in method_id. */
    void sendAll(ShmTransport transport, int channel, long count, long timeoutNanos) {
        byte[] buffer = new byte[slotSize];
        for (long seq = 0; seq < count; seq++) {
            int length = size(seq);
            fill(seq, buffer, length);
            transport.send(channel, (int) seq, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer, 0, length,
                    timeoutNanos);
        }
    }

    /** A handler that checks frames arrive as {@code 0, 1, 2, ...}, once each, intact. */
    final class Checker implements FrameHandler {

        private final byte[] received = new byte[slotSize];
        private final byte[] expected = new byte[slotSize];
        private long next;

        @Override
        public void onFrame(Frame frame) {
            long seq = Integer.toUnsignedLong(frame.methodId());
            if (seq != (next & 0xFFFF_FFFFL) || frame.msgId() != next + 1) {
                throw new AssertionError("expected frame " + next + " but got method_id=" + seq + " msg_id="
                        + frame.msgId());
            }
            int length = size(next);
            if (frame.payloadLength() != length) {
                throw new AssertionError("frame " + next + ": length " + frame.payloadLength() + ", expected " + length);
            }
            frame.copyPayload(received, 0);
            if (crc(received, length) != expectedCrc(next, expected, length)) {
                throw new AssertionError("frame " + next + ": payload CRC mismatch (length " + length + ")");
            }
            next++;
        }

        long received() {
            return next;
        }
    }
}
