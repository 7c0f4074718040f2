package io.rapace.core.codec;

import java.lang.invoke.MethodHandle;

import org.jspecify.annotations.Nullable;

/** One record component: its name, its accessor as {@code (Object) -> Object} and the codec of its type. */
final class RecordComponentCodec {

    private final String name;

    private final MethodHandle accessor;

    private final PostcardCodec<@Nullable Object> codec;

    RecordComponentCodec(String name, MethodHandle accessor, PostcardCodec<@Nullable Object> codec) {
        this.name = name;
        this.accessor = accessor;
        this.codec = codec;
    }

    String name() {
        return this.name;
    }

    /** Reads this component from {@code record} and encodes it. */
    void encode(Object record, PostcardWriter out) {
        Object value;
        try {
            value = (Object) this.accessor.invokeExact(record);
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("accessor " + this.name + "() failed", ex);
        }
        this.codec.encode(value, out);
    }

    @Nullable Object decode(PostcardReader in) {
        return this.codec.decode(in);
    }

    int minEncodedSize() {
        return this.codec.minEncodedSize();
    }
}
