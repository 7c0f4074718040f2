package io.rapace.core.codec;

import java.lang.invoke.MethodHandle;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Rust struct (or an enum variant's fields) as a Java record: the components in declaration order, nothing else.
 * Components are read, and records built, through method handles made once, when the codec is built.
 */
final class RecordCodec implements PostcardCodec<Object> {

    private final Class<?> type;

    private final String name;

    private final RecordComponentCodec[] components;

    /** Reads the components and calls the canonical constructor: {@code (PostcardReader) -> Object}. */
    private final MethodHandle decoder;

    private int minEncodedSize = -1;

    RecordCodec(Class<?> type, List<RecordComponentCodec> components, MethodHandle decoder) {
        this.type = type;
        this.name = type.getSimpleName();
        this.components = components.toArray(RecordComponentCodec[]::new);
        this.decoder = decoder;
    }

    @Override
    public void encode(@Nullable Object value, PostcardWriter out) {
        if (value == null) {
            throw Missing.value(this.name);
        }
        for (RecordComponentCodec component : this.components) {
            try {
                component.encode(value, out);
            }
            catch (PostcardEncodeException ex) {
                throw ex.within(this.name, "." + component.name());
            }
        }
    }

    @Override
    public Object decode(PostcardReader in) {
        try {
            return (Object) this.decoder.invokeExact(in);
        }
        catch (RecordHandles.ConstructorRejected ex) {
            // the record's own validation refused the decoded values: the input is at fault
            throw in.error(this.name + " rejected the decoded values: " + ex.getMessage(), ex.getCause());
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("decoding " + this.type.getName() + " failed", ex);
        }
    }

    @Override
    public int minEncodedSize() {
        int size = this.minEncodedSize;
        if (size < 0) {
            // racy but idempotent: every thread computes the same sum. The guard value 0 stops a cycle of records
            // that contain each other directly (such records cannot be built anyway).
            this.minEncodedSize = 0;
            int sum = 0;
            for (RecordComponentCodec component : this.components) {
                sum += component.minEncodedSize();
            }
            this.minEncodedSize = sum;
            size = sum;
        }
        return size;
    }

    @Override
    public String toString() {
        return this.name;
    }
}
