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

    /** {@link Object}'s public methods, which a service interface may redeclare and which are not remote. */
    private static final Method[] OBJECT_METHODS = Object.class.getMethods();

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
        result.sort(DeclarationOrder.INSTANCE);
        return result;
    }

    /**
     * Whether {@code method} has the signature of one of {@link Object}'s public methods ({@code equals},
     * {@code toString}…): a service interface may redeclare them, and they are not remote. Compared with Object's
     * own methods rather than looked up: a lookup that fails builds an exception and its message, at start-up.
     */
    private static boolean isObjectMethod(Method method) {
        for (Method objectMethod : OBJECT_METHODS) {
            if (objectMethod.getName().equals(method.getName())
                    && Arrays.equals(objectMethod.getParameterTypes(), method.getParameterTypes())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Remote methods by name, then parameter count, then parameter types: an order that does not depend on the
     * JVM's. A class of its own rather than composed comparators: those link lambdas at start-up.
     */
    private enum DeclarationOrder implements Comparator<Method> {
        INSTANCE;

        @Override
        public int compare(Method a, Method b) {
            int byName = a.getName().compareTo(b.getName());
            if (byName != 0) {
                return byName;
            }
            int byCount = Integer.compare(a.getParameterCount(), b.getParameterCount());
            if (byCount != 0) {
                return byCount;
            }
            return Arrays.toString(a.getParameterTypes()).compareTo(Arrays.toString(b.getParameterTypes()));
        }
    }
}
