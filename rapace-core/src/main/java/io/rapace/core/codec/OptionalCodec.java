package io.rapace.core.codec;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/** {@code Option<T>} for a {@link Optional}: 0x00 for empty, or 0x01 and the value. */
final class OptionalCodec implements PostcardCodec<Optional<Object>> {

    private final PostcardCodec<@Nullable Object> inner;

    OptionalCodec(PostcardCodec<@Nullable Object> inner) {
        this.inner = inner;
    }

    @Override
    public void encode(@Nullable Optional<Object> value, PostcardWriter out) {
        if (value == null) {
            throw new PostcardEncodeException("null Optional: use Optional.empty() for " + this + "::None");
        }
        if (value.isEmpty()) {
            out.writeByte(0);
            return;
        }
        out.writeByte(1);
        this.inner.encode(value.get(), out);
    }

    @Override
    public Optional<Object> decode(PostcardReader in) {
        if (!in.readOptionTag()) {
            return Optional.empty();
        }
        Object value = this.inner.decode(in);
        return Optional.ofNullable(value);
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
