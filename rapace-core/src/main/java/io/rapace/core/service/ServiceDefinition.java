package io.rapace.core.service;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.MethodHandler;

/**
 * A service implementation ready to serve: its service name, its interface's remote methods and, for each method,
 * a handler that decodes the arguments, invokes the implementation through a class generated for it (no reflective
 * lookup per call; {@link MethodHandle}s composed for it where the class cannot be defined), and answers according
 * to the method's declared return type. Build it once, at
 * startup; it is immutable and thread-safe. The interface and the implementation need not be public: a
 * package-private one is reached with the implementation's module's consent (every package on the class path
 * gives it).
 */
public final class ServiceDefinition {

    private final ServiceContract contract;

    private final Object implementation;

    private final MethodTable table;

    private final List<RemoteMethod> remoteMethods;

    private ServiceDefinition(ServiceContract contract, Object implementation) {
        this.contract = contract;
        this.implementation = implementation;
        List<MethodDefinition> methods = contract.methods();
        this.remoteMethods = methods.stream().map(MethodDefinition::remote).toList();
        List<MethodHandle> invokers = GeneratedInvokers.of(contract.serviceInterface(), methods, implementation);
        List<MethodHandler> handlers = new ArrayList<>(methods.size());
        for (int index = 0; index < methods.size(); index++) {
            MethodDefinition method = methods.get(index);
            MethodHandle invoker = invokers != null ? invokers.get(index)
                    : ServedInvoker.of(method, target(method, implementation));
            handlers.add(new ServerMethodHandler(method, invoker,
                    NonBlockingMethods.runsInline(method, implementation.getClass())));
        }
        this.table = MethodTable.of(methods, handlers);
    }

    /**
     * Defines the service an object implements. The interface is {@link RapaceService#iface()} on the class,
     * else its only interface with abstract methods (or the only one annotated {@code @RapaceService}); the
     * name is {@link RapaceService#value()} on the class, else on the interface, else the interface's simple
     * name.
     *
     * @throws ServiceDefinitionException when the interface or name cannot be resolved, two methods share an
     *     id, or a type has no codec
     */
    public static ServiceDefinition of(Object implementation) {
        Objects.requireNonNull(implementation, "implementation");
        return of(ServiceNames.serviceInterface(implementation.getClass()), implementation);
    }

    /** Defines {@code implementation} as the service declared by {@code serviceInterface}. */
    public static ServiceDefinition of(Class<?> serviceInterface, Object implementation) {
        Objects.requireNonNull(implementation, "implementation");
        if (!serviceInterface.isInstance(implementation)) {
            throw new ServiceDefinitionException(implementation.getClass().getName() + " does not implement "
                    + serviceInterface.getName());
        }
        String name = ServiceNames.serverServiceName(serviceInterface, implementation.getClass());
        ServiceContract contract = ServiceContract.of(serviceInterface, name);
        rejectRenamesOnTheImplementation(contract, implementation.getClass());
        return new ServiceDefinition(contract, implementation);
    }

    /**
     * A {@code @RapaceMethod} on an implementation method would be invisible to clients, which read the
     * interface: one that disagrees with the interface's wire name is an error rather than silently ignored.
     */
    private static void rejectRenamesOnTheImplementation(ServiceContract contract, Class<?> implementationClass) {
        for (MethodDefinition method : contract.methods()) {
            Method declared = method.javaMethod();
            RapaceMethod annotation;
            try {
                annotation = implementationClass.getMethod(declared.getName(), declared.getParameterTypes())
                        .getAnnotation(RapaceMethod.class);
            }
            catch (NoSuchMethodException ex) {
                continue;
            }
            if (annotation != null && !annotation.name().isEmpty() && !annotation.name().equals(method.name())) {
                throw new ServiceDefinitionException("@RapaceMethod(name = \"" + annotation.name() + "\") on "
                        + implementationClass.getName() + "." + declared.getName() + " differs from the wire name \""
                        + method.name() + "\" its interface declares: put @RapaceMethod on the interface method,"
                        + " which both sides read");
            }
        }
    }

    /** The service name on the wire. */
    public String serviceName() {
        return this.contract.serviceName();
    }

    /** The Java interface that declares the methods. */
    public Class<?> serviceInterface() {
        return this.contract.serviceInterface();
    }

    /** The object the calls go to. */
    public Object implementation() {
        return this.implementation;
    }

    /** The contract: name and method definitions. */
    ServiceContract contract() {
        return this.contract;
    }

    /** The remote methods, ordered by Java name then parameter count. */
    public List<RemoteMethod> methods() {
        return this.remoteMethods;
    }

    /** A dispatcher that knows exactly this service's method ids (null, i.e. Unimplemented, for others). */
    public Dispatcher dispatcher() {
        return this.table;
    }

    @Override
    public String toString() {
        return "ServiceDefinition[" + serviceName() + " -> " + this.implementation.getClass().getName() + ", "
                + methods().size() + " methods]";
    }

    /** A handle of the method's own type that calls {@code method} on {@code target}. */
    private static MethodHandle target(MethodDefinition definition, Object target) {
        Method method = definition.javaMethod();
        MethodHandle handle;
        try {
            handle = MethodHandles.publicLookup().unreflect(method);
        }
        catch (IllegalAccessException notPublic) {
            try {
                method.setAccessible(true);
                handle = MethodHandles.lookup().unreflect(method);
            }
            catch (IllegalAccessException | RuntimeException ex) {
                throw new ServiceDefinitionException("cannot access " + MethodDefinition.describe(method)
                        + " of service " + definition.serviceName() + ": " + NotOpen.whatToDo(method.getDeclaringClass())
                        + " (" + ex.getMessage() + ")", ex);
            }
        }
        return handle.bindTo(target);
    }
}
