package io.rapace.benchmarks.soak;

/** The byte pattern both sides of the soak write and check: byte {@code i} is {@code seed + i} (mod 256). */
final class Patterns {

    private Patterns() {
    }

    static byte[] filled(int seed, int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return bytes;
    }

    static boolean matches(byte[] bytes, int seed, int size) {
        if (bytes.length != size) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (bytes[i] != (byte) (seed + i)) {
                return false;
            }
        }
        return true;
    }
}
