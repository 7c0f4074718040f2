package io.rapace.core.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.jspecify.annotations.Nullable;

/**
 * The fast path of a whole {@code Vec<u8>} value read in place: a varint length, then exactly that many
 * bytes, copied once into the result. Anything else (a bad varint, a length that does not match) is left to
 * the general decoder, which names the problem.
 */
final class ByteVecs {

    /** Longest {@code usize} varint. */
    private static final int MAX_VARINT_BYTES = 10;

    private ByteVecs() {
    }

    /** The bytes of the {@code Vec<u8>} that fills {@code payload} exactly, or null when it is not one. */
    static byte @Nullable [] copyOut(MemorySegment payload) {
        long size = payload.byteSize();
        long length = 0;
        int prefix = 0;
        while (true) {
            if (prefix >= size || prefix >= MAX_VARINT_BYTES) {
                return null;
            }
            int b = payload.get(ValueLayout.JAVA_BYTE, prefix) & 0xFF;
            if (prefix == MAX_VARINT_BYTES - 1 && b > 1) {
                return null;
            }
            length |= (long) (b & 0x7F) << (7 * prefix);
            prefix++;
            if ((b & 0x80) == 0) {
                // A canonical varint only: an over-long one (a trailing 0x00 group) goes to the strict decoder.
                if (b == 0 && prefix > 1) {
                    return null;
                }
                break;
            }
        }
        if (length != size - prefix || length > Integer.MAX_VALUE - 8) {
            return null;
        }
        return payload.asSlice(prefix).toArray(ValueLayout.JAVA_BYTE);
    }
}
