package io.rapace.core.codec;

/** UTF-8 encoding of Java strings straight into a byte array, refusing unpaired surrogates. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * The number of bytes {@code value} takes in UTF-8.
     *
     * @throws PostcardEncodeException when {@code value} holds an unpaired surrogate
     */
    static int encodedLength(String value) {
        int length = value.length();
        long bytes = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                continue;
            }
            if (c < 0x800) {
                bytes += 1;
            }
            else if (!Character.isSurrogate(c)) {
                bytes += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 2; // four bytes for the two chars of the pair
                i++;
            }
            else {
                throw unpairedSurrogate(c, i);
            }
        }
        if (bytes > Integer.MAX_VALUE) {
            throw new PostcardEncodeException("string of " + length + " chars is too long: " + bytes + " UTF-8 bytes");
        }
        return (int) bytes;
    }

    /**
     * Writes {@code value} as UTF-8 into {@code target} from {@code position}, which must have room for
     * {@link #encodedLength(String)} bytes (so the string is known to hold no unpaired surrogate).
     *
     * @return the position after the last byte written
     */
    static int encode(String value, byte[] target, int position) {
        int pos = position;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                target[pos++] = (byte) c;
            }
            else if (c < 0x800) {
                target[pos++] = (byte) (0xC0 | (c >>> 6));
                target[pos++] = (byte) (0x80 | (c & 0x3F));
            }
            else if (!Character.isSurrogate(c)) {
                target[pos++] = (byte) (0xE0 | (c >>> 12));
                target[pos++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                target[pos++] = (byte) (0x80 | (c & 0x3F));
            }
            else {
                int codePoint = Character.toCodePoint(c, value.charAt(++i));
                target[pos++] = (byte) (0xF0 | (codePoint >>> 18));
                target[pos++] = (byte) (0x80 | ((codePoint >>> 12) & 0x3F));
                target[pos++] = (byte) (0x80 | ((codePoint >>> 6) & 0x3F));
                target[pos++] = (byte) (0x80 | (codePoint & 0x3F));
            }
        }
        return pos;
    }

    private static PostcardEncodeException unpairedSurrogate(char c, int index) {
        return new PostcardEncodeException(String.format(
                "string holds an unpaired surrogate U+%04X at index %d, which no Rust String can hold", (int) c, index));
    }
}
