package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/** A unit-only Rust enum as a Java enum: the varint variant index, which is the constant's ordinal. */
final class EnumCodec implements PostcardCodec<Enum<?>> {

    private final Enum<?>[] constants;

    private final String name;

    EnumCodec(Class<?> type) {
        this.constants = (Enum<?>[]) type.getEnumConstants();
        this.name = type.getSimpleName();
    }

    @Override
    public void encode(@Nullable Enum<?> value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(this.name);
        }
        out.writeVarint(value.ordinal());
    }

    @Override
    public Enum<?> decode(PostcardReader in) {
        return this.constants[in.readVariantIndex(this.name, this.constants.length)];
    }

    @Override
    public int minEncodedSize() {
        return 1;
    }

    @Override
    public String toString() {
        return this.name;
    }
}
