package io.rapace.core.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/** Method handles for reading a record's components and calling its canonical constructor, made once per type. */
final class RecordHandles {

    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    private static final MethodType SPREAD_CONSTRUCTOR = MethodType.methodType(Object.class, Object[].class);

    private RecordHandles() {
    }

    /** The component's accessor as {@code (Object) -> Object}. */
    static MethodHandle accessor(RecordComponent component) {
        Method accessor = component.getAccessor();
        try {
            accessor.trySetAccessible();
            return MethodHandles.lookup().unreflect(accessor).asType(GETTER);
        }
        catch (IllegalAccessException ex) {
            throw notAccessible(component.getDeclaringRecord(), ex);
        }
    }

    /** The canonical constructor as {@code (Object[]) -> Object}. */
    static MethodHandle constructor(Class<?> type, RecordComponent[] components) {
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.trySetAccessible();
            return MethodHandles.lookup().unreflectConstructor(constructor)
                    .asSpreader(Object[].class, components.length)
                    .asType(SPREAD_CONSTRUCTOR);
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", ex);
        }
        catch (IllegalAccessException ex) {
            throw notAccessible(type, ex);
        }
    }

    private static IllegalArgumentException notAccessible(Class<?> type, IllegalAccessException cause) {
        return new IllegalArgumentException("record " + type.getName() + " is not accessible to the codec: make it "
                + "public in an exported package, or open its package to io.rapace.core (" + cause.getMessage() + ")",
                cause);
    }
}
