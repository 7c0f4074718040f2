package io.rapace.core.codec;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Rust enum with data as a sealed interface whose permitted subclasses are records: the varint variant index
 * (the position in {@link Class#getPermittedSubclasses()}) and then the record's components.
 */
final class SealedCodec implements PostcardCodec<Object> {

    private final String name;

    private final Class<?>[] variants;

    private final PostcardCodec<@Nullable Object>[] codecs;

    @SuppressWarnings("unchecked")
    SealedCodec(Class<?> type, List<Class<?>> variants, List<PostcardCodec<@Nullable Object>> codecs) {
        this.name = type.getSimpleName();
        this.variants = variants.toArray(Class<?>[]::new);
        this.codecs = codecs.toArray(PostcardCodec[]::new);
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(this.name);
        }
        Class<?> actual = value.getClass();
        Class<?>[] all = this.variants;
        for (int index = 0; index < all.length; index++) {
            if (all[index] == actual) {
                out.writeVarint(index);
                this.codecs[index].encode(value, out);
                return;
            }
        }
        throw new PostcardEncodeException(actual.getName() + " is not a permitted variant of " + this.name);
    }

    @Override
    public Object decode(PostcardReader in) {
        int index = in.readVariantIndex(this.name, this.codecs.length);
        Object value = this.codecs[index].decode(in);
        if (value == null) {
            throw new IllegalStateException("variant codec of " + this.name + " returned null");
        }
        return value;
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
