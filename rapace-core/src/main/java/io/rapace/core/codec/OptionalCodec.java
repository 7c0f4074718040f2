package io.rapace.core.codec;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * {@code Option<T>} for an {@link Optional}: the encoding of {@link NullableCodec}, an empty {@code Optional} standing
 * for {@code null} (0x00), a present one for 0x01 and the value.
 */
final class OptionalCodec implements PostcardCodec<Optional<Object>> {

    private final NullableCodec option;

    OptionalCodec(PostcardCodec<@Nullable Object> inner) {
        this.option = new NullableCodec(inner);
    }

    @Override
    public void encode(@Nullable Optional<Object> value, PostcardWriter out) {
        if (value == null) {
            throw new PostcardEncodeException("null Optional: use Optional.empty() for " + this + "::None");
        }
        this.option.encode(value.orElse(null), out);
    }

    @Override
    public Optional<Object> decode(PostcardReader in) {
        return Optional.ofNullable(this.option.decode(in));
    }

    @Override
    public int minEncodedSize() {
        return this.option.minEncodedSize();
    }

    @Override
    public String toString() {
        return this.option.toString();
    }
}
