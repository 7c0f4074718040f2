package io.rapace.core.service;

import java.lang.reflect.Type;

import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.PostcardWriter;
import org.jspecify.annotations.Nullable;

/** The codec of {@code ()} ({@code void}, {@code Void}): zero bytes, decoded as {@code null}. */
final class UnitCodec implements PostcardCodec<@Nullable Object> {

    static final UnitCodec INSTANCE = new UnitCodec();

    private UnitCodec() {
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        // () has no bytes.
    }

    @Override
    public @Nullable Object decode(PostcardReader in) {
        return null;
    }

    static boolean isUnit(Type type) {
        return type == void.class || type == Void.class;
    }
}
