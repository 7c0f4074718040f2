package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/**
 * A reference to a codec still being built, which lets recursive types (a record holding a list of itself) refer
 * to their own codec.
 */
final class ForwardCodec implements PostcardCodec<@Nullable Object> {

    private final String name;

    /**
     * Set once, before any codec that holds this reference is published through the factory's cache (a
     * ConcurrentHashMap, whose put/get give the happens-before edge), so a plain field suffices.
     */
    private @Nullable PostcardCodec<@Nullable Object> target;

    ForwardCodec(String name) {
        this.name = name;
    }

    void resolve(PostcardCodec<@Nullable Object> codec) {
        this.target = codec;
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        target().encode(value, out);
    }

    @Override
    public @Nullable Object decode(PostcardReader in) {
        return target().decode(in);
    }

    @Override
    public int minEncodedSize() {
        // asked while the target is being built (a record summing its components): 0 is always a safe bound
        PostcardCodec<@Nullable Object> codec = this.target;
        return codec == null ? 0 : codec.minEncodedSize();
    }

    private PostcardCodec<@Nullable Object> target() {
        PostcardCodec<@Nullable Object> codec = this.target;
        if (codec == null) {
            throw new IllegalStateException("codec of " + this.name + " used before it was built");
        }
        return codec;
    }

    @Override
    public String toString() {
        return this.name;
    }
}
