package io.rapace.core.codec;

import java.io.Serial;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * Method handles for reading a record's components and for decoding a record, made once per type: no reflection
 * runs per call.
 */
final class RecordHandles {

    private static final MethodHandle REJECT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            REJECT = lookup.findStatic(RecordHandles.class, "reject",
                    MethodType.methodType(Object.class, RuntimeException.class));
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private RecordHandles() {
    }

    /** The component's accessor as {@code (Object) -> T}, T the component's declared type. */
    static MethodHandle accessor(RecordComponent component) {
        Method accessor = component.getAccessor();
        try {
            accessor.trySetAccessible();
            MethodHandle handle = MethodHandles.lookup().unreflect(accessor);
            return handle.asType(handle.type().changeParameterType(0, Object.class));
        }
        catch (IllegalAccessException ex) {
            throw notAccessible(component.getDeclaringRecord(), ex);
        }
    }

    /**
     * The record's canonical constructor {@code (T0 .. Tn-1) -> R}, its access checked now: a record the codec cannot
     * reach fails when its codec is built, not at its first decode.
     */
    static MethodHandle canonicalConstructor(Class<?> type, RecordComponent[] components) {
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.trySetAccessible();
            return MethodHandles.lookup().unreflectConstructor(constructor);
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", ex);
        }
        catch (IllegalAccessException ex) {
            throw notAccessible(type, ex);
        }
    }

    /**
     * A handle {@code (PostcardReader) -> Object} that decodes the components in declaration order and passes them
     * to {@code constructor} ({@link #canonicalConstructor}). Primitive components read straight from the reader, so
     * nothing is boxed and no argument array is made. When the constructor throws a {@link RuntimeException} (the
     * record's own validation), the handle throws {@link ConstructorRejected} with it as the cause.
     */
    static MethodHandle decoder(MethodHandle constructor, RecordComponentCodec[] codecs) {
        int count = codecs.length;
        // (T0 .. Tn-1, PostcardReader) -> R; then, from the last component back to the first, fold in the read of
        // component k at position k. foldArguments runs its combiner before its target, so component k is read
        // before component k + 1: the wire order is guaranteed by construction.
        MethodHandle handle = MethodHandles.dropArguments(guarded(constructor), count, PostcardReader.class);
        for (int k = count - 1; k >= 0; k--) {
            handle = MethodHandles.foldArguments(handle, k,
                    Unboxed.reader(codecs[k].codec(), constructor.type().parameterType(k)));
        }
        return handle.asType(MethodType.methodType(Object.class, PostcardReader.class));
    }

    /** The constructor with its RuntimeExceptions turned into {@link ConstructorRejected}. */
    private static MethodHandle guarded(MethodHandle constructor) {
        MethodType type = constructor.type();
        MethodHandle handler = MethodHandles.dropArguments(
                REJECT.asType(MethodType.methodType(type.returnType(), RuntimeException.class)), 1,
                type.parameterList());
        return MethodHandles.catchException(constructor, RuntimeException.class, handler);
    }

    private static Object reject(RuntimeException cause) {
        throw new ConstructorRejected(cause);
    }

    private static IllegalArgumentException notAccessible(Class<?> type, IllegalAccessException cause) {
        return new IllegalArgumentException("record " + type.getName() + " is not accessible to the codec: make it "
                + "public in an exported package, or open its package to io.rapace.core (" + cause.getMessage() + ")",
                cause);
    }

    /** A record's canonical constructor refused the decoded values; the cause is what it threw. */
    static final class ConstructorRejected extends RuntimeException {

        @Serial
        private static final long serialVersionUID = 1L;

        ConstructorRejected(RuntimeException cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
