package io.rapace.core.session;

import java.io.ByteArrayOutputStream;

import org.jspecify.annotations.Nullable;

/**
 * Control channel (0) verbs and the one control payload the session reads and writes:
 * {@code ControlPayload::CancelChannel { channel_id: u32, reason: CancelReason }} in postcard, i.e.
 * varint variant index 2, varint channel id, varint reason index (0 ClientCancel, 1 DeadlineExceeded,
 * 2 ResourceExhausted), as the Rust reference's {@code control.rs} declares it.
 */
final class ControlVerbs {

    static final int OPEN_CHANNEL = 1;
    static final int CLOSE_CHANNEL = 2;
    static final int CANCEL_CHANNEL = 3;
    static final int GRANT_CREDITS = 4;
    static final int PING = 5;
    static final int PONG = 6;

    /** Variant index of CancelChannel in the reference's ControlPayload enum. */
    static final int CANCEL_CHANNEL_VARIANT = 2;

    /** CancelReason variant indexes. */
    static final int REASON_CLIENT_CANCEL = 0;
    static final int REASON_DEADLINE_EXCEEDED = 1;

    /** Ping and Pong carry exactly this many bytes. */
    static final int PING_PAYLOAD_LENGTH = 8;

    private ControlVerbs() {
    }

    /** Encodes a CancelChannel payload. */
    static byte[] encodeCancelChannel(int channelId, int reason) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8);
        writeVarint(out, CANCEL_CHANNEL_VARIANT);
        writeVarint(out, Integer.toUnsignedLong(channelId));
        writeVarint(out, reason);
        return out.toByteArray();
    }

    /**
     * The channel id of a CancelChannel payload, or {@code null} when the payload is not one (wrong
     * variant, truncated, or a varint longer than a u32 allows). The reason is not needed and not read.
     */
    static @Nullable Integer decodeCancelChannel(byte[] payload) {
        int[] cursor = {0};
        long variant = readVarintU32(payload, cursor);
        if (variant != CANCEL_CHANNEL_VARIANT) {
            return null;
        }
        long channel = readVarintU32(payload, cursor);
        return channel < 0 ? null : (int) channel;
    }

    private static void writeVarint(ByteArrayOutputStream out, long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            out.write((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        out.write((int) rest);
    }

    /** Reads a u32 varint at cursor[0] and advances it; -1 on a truncated or over-long varint. */
    private static long readVarintU32(byte[] in, int[] cursor) {
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (cursor[0] >= in.length) {
                return -1;
            }
            int b = in[cursor[0]++] & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value > 0xFFFF_FFFFL ? -1 : value;
            }
        }
        return -1;
    }
}
