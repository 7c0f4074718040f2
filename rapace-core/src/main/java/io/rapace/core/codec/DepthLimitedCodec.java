package io.rapace.core.codec;

import org.jspecify.annotations.Nullable;

/**
 * Wraps the codec of a recursive type so that each value of it counts one nesting level against
 * {@link PostcardReader#MAX_DEPTH}: hostile input (or a cyclic value) fails cleanly instead of exhausting the stack.
 */
final class DepthLimitedCodec implements PostcardCodec<@Nullable Object> {

    private final PostcardCodec<@Nullable Object> inner;

    DepthLimitedCodec(PostcardCodec<@Nullable Object> inner) {
        this.inner = inner;
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        out.enter();
        try {
            this.inner.encode(value, out);
        }
        finally {
            out.exit();
        }
    }

    @Override
    public @Nullable Object decode(PostcardReader in) {
        in.enter();
        try {
            return this.inner.decode(in);
        }
        finally {
            in.exit();
        }
    }

    @Override
    public int minEncodedSize() {
        return this.inner.minEncodedSize();
    }

    @Override
    public String toString() {
        return this.inner.toString();
    }
}
