package io.rapace.transport.shm;

import java.util.SplittableRandom;
import java.util.zip.CRC32;

/** Deterministic test payloads: the bytes of frame {@code seq} can be rebuilt on the receiving side. */
final class Payloads {

    private Payloads() {
    }

    /** The payload of frame {@code seq}: {@code length} pseudo-random bytes seeded by {@code seq}. */
    static byte[] payload(long seq, int length) {
        byte[] bytes = new byte[length];
        fill(seq, bytes, length);
        return bytes;
    }

    /** Fills {@code bytes[0, length)} with the payload of frame {@code seq}. */
    static void fill(long seq, byte[] bytes, int length) {
        SplittableRandom random = new SplittableRandom(seq * 0x9E3779B97F4A7C15L + length);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
    }

    static long crc(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
