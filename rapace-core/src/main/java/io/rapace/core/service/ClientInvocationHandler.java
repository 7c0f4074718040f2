package io.rapace.core.service;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The invocation handler of a client that is a JDK proxy (where {@link GeneratedClients} cannot define its class):
 * finds the remote method of the Java method called (one hash
 * look-up) and hands it to the client's {@link CallRouting}; answers {@code equals}, {@code hashCode} and
 * {@code toString} locally and runs default methods locally. No reflection runs per call.
 */
final class ClientInvocationHandler implements InvocationHandler {

    private static final Object[] NO_ARGUMENTS = {};

    private final Map<Method, MethodDefinition> methods;

    private final CallRouting routing;

    private final DefaultMethods defaultMethods;

    private final String description;

    ClientInvocationHandler(ServiceContract contract, CallRouting routing, String description) {
        this.methods = new HashMap<>();
        for (MethodDefinition method : contract.methods()) {
            this.methods.put(method.javaMethod(), method);
        }
        this.routing = routing;
        this.defaultMethods = DefaultMethods.of(contract.serviceInterface());
        this.description = description;
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method javaMethod, Object @Nullable [] args) throws Throwable {
        MethodDefinition method = this.methods.get(javaMethod);
        if (method == null) {
            return invokeLocally(proxy, javaMethod, args);
        }
        return this.routing.call(method, args != null ? args : NO_ARGUMENTS);
    }

    private @Nullable Object invokeLocally(Object proxy, Method javaMethod, Object @Nullable [] args)
            throws Throwable {
        if (javaMethod.isDefault()) {
            return this.defaultMethods.invoke(proxy, javaMethod, args);
        }
        return switch (javaMethod.getName()) {
            case "equals" -> args != null && args.length == 1 && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> this.description;
            default -> throw new UnsupportedOperationException(javaMethod + " is not a remote method of "
                    + this.description);
        };
    }
}
