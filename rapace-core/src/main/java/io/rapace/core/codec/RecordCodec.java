package io.rapace.core.codec;

import java.lang.invoke.MethodHandle;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Rust struct (or an enum variant's fields) as a Java record: the components in declaration order, nothing else.
 * Components are read, and records built, through method handles made once: the accessors when the codec is built,
 * the decoding handle at the first decode.
 */
final class RecordCodec implements PostcardCodec<Object> {

    private final Class<?> type;

    private final String name;

    private final RecordComponentCodec[] components;

    /** The canonical constructor, {@code (T0 .. Tn-1) -> R}: looked up, and its access checked, with the codec. */
    private final MethodHandle constructor;

    /**
     * Reads the components and calls the constructor, {@code (PostcardReader) -> Object}: composed at the first
     * decode, since a side that only encodes the record (a plugin its results, a host its arguments) never needs it,
     * and composing spins method-handle classes (about 5 ms of a cold start per record). Volatile, set by whichever
     * thread decodes first: racy but idempotent, every thread composes an equivalent handle.
     */
    private volatile @Nullable MethodHandle decoder;

    private int minEncodedSize = -1;

    RecordCodec(Class<?> type, List<RecordComponentCodec> components, MethodHandle constructor) {
        this.type = type;
        this.name = type.getSimpleName();
        this.components = components.toArray(RecordComponentCodec[]::new);
        this.constructor = constructor;
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
            return (Object) decoder().invokeExact(in);
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

    /** Whether the decoding handle was composed (a record was decoded); for tests. */
    boolean decoderComposed() {
        return this.decoder != null;
    }

    private MethodHandle decoder() {
        MethodHandle composed = this.decoder;
        if (composed == null) {
            composed = RecordHandles.decoder(this.constructor, this.components);
            this.decoder = composed;
        }
        return composed;
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
