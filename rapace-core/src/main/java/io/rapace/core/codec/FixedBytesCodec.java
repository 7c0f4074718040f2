package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/** {@code [u8; N]}: a {@code byte[]} of exactly N bytes, written raw with no length prefix. */
final class FixedBytesCodec implements PostcardCodec<byte[]> {

    private final int length;

    FixedBytesCodec(int length) {
        this.length = length;
    }

    @Override
    public void encode(byte @Nullable [] value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(toString());
        }
        if (value.length != this.length) {
            throw new PostcardEncodeException("byte[] of length " + value.length + " where " + this
                    + " needs exactly " + this.length + " bytes");
        }
        out.writeRaw(value, 0, this.length);
    }

    @Override
    public byte[] decode(PostcardReader in) {
        return in.readFixedBytes(this.length);
    }

    @Override
    public int minEncodedSize() {
        return this.length;
    }

    @Override
    public String toString() {
        return "[u8; " + this.length + "]";
    }
}
