package io.rapace.core.service;

import java.lang.reflect.Method;

/**
 * Reads {@link NonBlocking} for one service method: on the interface method, the interface, the
 * implementation's method or the implementation class, walking up the implementation's superclasses (so
 * that a subclass proxy, such as Spring's, still shows what its target class declares).
 */
final class NonBlockingMethods {

    private NonBlockingMethods() {
    }

    /** Whether {@code method} of a service implemented by {@code implementationClass} may run inline. */
    static boolean runsInline(MethodDefinition method, Class<?> implementationClass) {
        if (method.shape() != ResultShape.VALUE) {
            return false;
        }
        Method declared = method.javaMethod();
        if (declared.isAnnotationPresent(NonBlocking.class)
                || declared.getDeclaringClass().isAnnotationPresent(NonBlocking.class)) {
            return true;
        }
        for (Class<?> type = implementationClass; type != null && type != Object.class; type = type.getSuperclass()) {
            if (type.isAnnotationPresent(NonBlocking.class)) {
                return true;
            }
            try {
                if (type.getDeclaredMethod(declared.getName(), declared.getParameterTypes())
                        .isAnnotationPresent(NonBlocking.class)) {
                    return true;
                }
            }
            catch (NoSuchMethodException notHere) {
                // declared higher up: keep walking
            }
        }
        return false;
    }
}
