package io.rapace.core.service;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Runs the default methods of a client's interface on its proxy: local Java code, whose remote calls go through
 * the proxy. {@link InvocationHandler#invokeDefault} serves a public interface; it refuses one this module cannot
 * see (a package-private interface), whose default methods run instead through handles made with the interface's
 * own private access. Every package on the class path grants that; a named module must open the package.
 */
final class DefaultMethods {

    private final Map<Method, MethodHandle> notPublic;

    private DefaultMethods(Map<Method, MethodHandle> notPublic) {
        this.notPublic = notPublic;
    }

    /**
     * The default methods of {@code serviceInterface} and of the interfaces it extends.
     *
     * @throws ServiceDefinitionException when one of a non-public interface cannot be reached
     */
    static DefaultMethods of(Class<?> serviceInterface) {
        Map<Method, MethodHandle> handles = new HashMap<>();
        for (Method method : serviceInterface.getMethods()) {
            if (method.isDefault() && !isPublicHere(method.getDeclaringClass())) {
                handles.put(method, handle(method));
            }
        }
        return new DefaultMethods(Map.copyOf(handles));
    }

    /** Runs default method {@code method} on {@code proxy}. */
    @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args) throws Throwable {
        MethodHandle handle = this.notPublic.get(method);
        if (handle == null) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        int count = args != null ? args.length : 0;
        Object[] receiverAndArguments = new Object[count + 1];
        receiverAndArguments[0] = proxy;
        if (args != null) {
            System.arraycopy(args, 0, receiverAndArguments, 1, count);
        }
        return handle.invokeWithArguments(receiverAndArguments);
    }

    /** Whether {@link InvocationHandler#invokeDefault} accepts default methods of {@code type} from here. */
    private static boolean isPublicHere(Class<?> type) {
        return Modifier.isPublic(type.getModifiers())
                && type.getModule().isExported(type.getPackageName(), DefaultMethods.class.getModule());
    }

    private static MethodHandle handle(Method method) {
        Class<?> declaring = method.getDeclaringClass();
        try {
            return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup()).findSpecial(declaring,
                    method.getName(), MethodType.methodType(method.getReturnType(), method.getParameterTypes()),
                    declaring);
        }
        catch (IllegalAccessException | NoSuchMethodException | RuntimeException ex) {
            throw new ServiceDefinitionException("a client cannot run the default method "
                    + MethodDefinition.describe(method) + ": " + NotOpen.whatToDo(declaring) + " (" + ex.getMessage()
                    + ")", ex);
        }
    }
}
