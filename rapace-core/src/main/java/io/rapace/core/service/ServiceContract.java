package io.rapace.core.service;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The methods of a service interface under a service name: what a server implements and a client calls.
 * The methods are the interface's abstract methods (inherited ones included, methods of
 * {@link Object} excluded); default and static methods are local Java code, not remote methods.
 *
 * @param serviceInterface the Java interface
 * @param serviceName the service name on the wire
 * @param methods the remote methods, ordered by Java name then parameter count
 */
record ServiceContract(Class<?> serviceInterface, String serviceName, List<MethodDefinition> methods) {

    private static final ClassValue<ServiceContract> BY_INTERFACE = new ClassValue<>() {
        @Override
        protected ServiceContract computeValue(Class<?> type) {
            return read(type, ServiceNames.clientServiceName(type));
        }
    };

    /** Copies the method list. */
    ServiceContract {
        methods = List.copyOf(methods);
    }

    /**
     * The contract of {@code serviceInterface} under the name clients use: {@link RapaceService#value()} on the
     * interface when given, else its simple name. Cached per interface.
     *
     * @throws ServiceDefinitionException when the type is not an interface or a method cannot be defined
     */
    static ServiceContract of(Class<?> serviceInterface) {
        return BY_INTERFACE.get(serviceInterface);
    }

    /** The contract of {@code serviceInterface} under an explicit service name. */
    static ServiceContract of(Class<?> serviceInterface, String serviceName) {
        return read(serviceInterface, serviceName);
    }

    /** The definition of a Java method of this contract, or {@code null} when it is not a remote method. */
    @Nullable MethodDefinition method(Method javaMethod) {
        for (MethodDefinition method : this.methods) {
            if (method.javaMethod().equals(javaMethod)) {
                return method;
            }
        }
        return null;
    }

    private static ServiceContract read(Class<?> serviceInterface, String serviceName) {
        if (!serviceInterface.isInterface()) {
            throw new ServiceDefinitionException(serviceInterface.getName()
                    + " is not an interface: a rapace service is declared by a Java interface");
        }
        ServiceNames.checkServiceName(serviceName, serviceInterface);
        List<Method> remote = remoteMethods(serviceInterface);
        if (remote.isEmpty()) {
            throw new ServiceDefinitionException("service interface " + serviceInterface.getName()
                    + " declares no abstract method: nothing to serve or call");
        }
        List<MethodDefinition> methods = new ArrayList<>(remote.size());
        Map<Integer, MethodDefinition> byId = new HashMap<>();
        for (Method method : remote) {
            MethodDefinition definition = MethodDefinition.of(serviceName, method);
            MethodDefinition clash = byId.putIfAbsent(definition.id(), definition);
            if (clash != null) {
                throw DuplicateIds.error(clash, definition);
            }
            methods.add(definition);
        }
        return new ServiceContract(serviceInterface, serviceName, methods);
    }

    /** Abstract, non-static, non-Object methods, inherited ones included, overridden ones once. */
    static List<Method> remoteMethods(Class<?> serviceInterface) {
        List<Method> result = new ArrayList<>();
        for (Method method : serviceInterface.getMethods()) {
            if (Modifier.isAbstract(method.getModifiers()) && !method.isSynthetic() && !isObjectMethod(method)) {
                result.add(method);
            }
        }
        result.sort(Comparator.comparing(Method::getName).thenComparingInt(Method::getParameterCount)
                .thenComparing(m -> Arrays.toString(m.getParameterTypes())));
        return result;
    }

    private static boolean isObjectMethod(Method method) {
        try {
            Object.class.getMethod(method.getName(), method.getParameterTypes());
            return true;
        }
        catch (NoSuchMethodException ex) {
            return false;
        }
    }
}
