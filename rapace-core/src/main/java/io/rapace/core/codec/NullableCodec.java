package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/** {@code Option<T>} for a {@code @Nullable T}: 0x00 for {@code null}, or 0x01 and the value. */
final class NullableCodec implements PostcardCodec<@Nullable Object> {

    private final PostcardCodec<@Nullable Object> inner;

    NullableCodec(PostcardCodec<@Nullable Object> inner) {
        this.inner = inner;
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        if (value == null) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        this.inner.encode(value, out);
    }

    @Override
    public @Nullable Object decode(PostcardReader in) {
        return in.readOptionTag() ? this.inner.decode(in) : null;
    }

    @Override
    public int minEncodedSize() {
        return 1;
    }

    @Override
    public String toString() {
        return "Option<" + this.inner + ">";
    }
}
