package io.rapace.core.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

import org.jspecify.annotations.Nullable;

/**
 * One record component: its name, its accessor and the codec of its type. A primitive component is read through an
 * accessor typed with the primitive and written straight to the writer, so encoding it boxes nothing.
 */
final class RecordComponentCodec {

    private final String name;

    /** The accessor as {@code (Object) -> Object}, used for reference components. */
    private final MethodHandle accessor;

    private final PostcardCodec<@Nullable Object> codec;

    /** For a primitive component: its scalar codec, which selects the write below; null otherwise. */
    private final @Nullable ScalarCodec primitive;

    /** For a primitive component: the accessor as {@code (Object) -> primitive}; the boxed accessor otherwise. */
    private final MethodHandle primitiveAccessor;

    RecordComponentCodec(String name, MethodHandle accessor, PostcardCodec<@Nullable Object> codec) {
        this.name = name;
        this.codec = codec;
        Class<?> returnType = accessor.type().returnType();
        MethodHandle erased = accessor.asType(MethodType.methodType(Object.class, Object.class));
        this.accessor = erased;
        if (returnType.isPrimitive() && codec instanceof ScalarCodec scalar) {
            this.primitive = scalar;
            this.primitiveAccessor = accessor.asType(MethodType.methodType(returnType, Object.class));
        }
        else {
            this.primitive = null;
            this.primitiveAccessor = erased;
        }
    }

    String name() {
        return this.name;
    }

    PostcardCodec<@Nullable Object> codec() {
        return this.codec;
    }

    /** Reads this component from {@code record} and encodes it. */
    void encode(Object record, PostcardWriter out) {
        try {
            ScalarCodec scalar = this.primitive;
            if (scalar != null) {
                encodePrimitive(scalar, record, out);
            }
            else {
                this.codec.encode((Object) this.accessor.invokeExact(record), out);
            }
        }
        catch (RuntimeException | Error ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new IllegalStateException("accessor " + this.name + "() failed", ex);
        }
    }

    private void encodePrimitive(ScalarCodec scalar, Object record, PostcardWriter out) throws Throwable {
        MethodHandle get = this.primitiveAccessor;
        switch (scalar) {
            case BOOL -> out.writeBool((boolean) get.invokeExact(record));
            case I8, U8 -> out.writeByte((byte) get.invokeExact(record));
            case I16 -> out.writeI16((short) get.invokeExact(record));
            case U16 -> out.writeU16((short) get.invokeExact(record));
            case I32 -> out.writeI32((int) get.invokeExact(record));
            case U32 -> out.writeU32((int) get.invokeExact(record));
            case I64 -> out.writeI64((long) get.invokeExact(record));
            case U64 -> out.writeU64((long) get.invokeExact(record));
            case F32 -> out.writeF32((float) get.invokeExact(record));
            case F64 -> out.writeF64((double) get.invokeExact(record));
            case CHAR -> out.writeChar((char) get.invokeExact(record));
            default -> throw new IllegalStateException("no primitive write for " + scalar);
        }
    }

    int minEncodedSize() {
        return this.codec.minEncodedSize();
    }
}
