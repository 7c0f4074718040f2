package io.rapace.core.service;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/** Resolves service interfaces and service names from annotations and Java names. */
final class ServiceNames {

    /** Packages whose interfaces never declare a rapace service. */
    private static final List<String> PLATFORM_PACKAGES = List.of("java.", "javax.", "jakarta.", "jdk.",
            "org.springframework.");

    private ServiceNames() {
    }

    /** The name a client of {@code serviceInterface} calls: its {@code @RapaceService} value, else its simple name. */
    static String clientServiceName(Class<?> serviceInterface) {
        RapaceService annotation = serviceInterface.getAnnotation(RapaceService.class);
        if (annotation != null && !annotation.value().isEmpty()) {
            return annotation.value();
        }
        return serviceInterface.getSimpleName();
    }

    /**
     * The name an implementation serves under: the value of {@code @RapaceService} on the class, else the
     * client-side name of the interface.
     */
    static String serverServiceName(Class<?> serviceInterface, Class<?> implementationClass) {
        RapaceService annotation = implementationClass.getAnnotation(RapaceService.class);
        if (annotation != null && !annotation.value().isEmpty()) {
            return annotation.value();
        }
        return clientServiceName(serviceInterface);
    }

    /**
     * The service interface of an implementation class: {@link RapaceService#iface()} when given; else the
     * only implemented interface annotated {@code @RapaceService}; else the only implemented interface that
     * declares abstract methods (marker interfaces such as {@code Serializable}, and the interfaces of the JDK
     * and of Spring such as {@code AutoCloseable}, do not count).
     */
    static Class<?> serviceInterface(Class<?> implementationClass) {
        RapaceService annotation = implementationClass.getAnnotation(RapaceService.class);
        if (annotation != null && annotation.iface() != void.class) {
            Class<?> declared = annotation.iface();
            if (!declared.isInterface() || !declared.isAssignableFrom(implementationClass)) {
                throw new ServiceDefinitionException("@RapaceService(iface = " + declared.getName() + ") on "
                        + implementationClass.getName() + " must name an interface that the class implements");
            }
            return declared;
        }
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> candidate : implementedInterfaces(implementationClass)) {
            if (!isPlatformInterface(candidate) && !ServiceContract.remoteMethods(candidate).isEmpty()) {
                candidates.add(candidate);
            }
        }
        // A loop, not a stream: a plugin's start-up would link the stream machinery for this one use.
        @Nullable Class<?> annotated = null;
        int annotatedCount = 0;
        for (Class<?> candidate : candidates) {
            if (candidate.isAnnotationPresent(RapaceService.class)) {
                annotated = candidate;
                annotatedCount++;
            }
        }
        if (annotatedCount == 1 && annotated != null) {
            return annotated;
        }
        if (candidates.size() == 1) {
            return candidates.getFirst();
        }
        if (candidates.isEmpty()) {
            throw new ServiceDefinitionException(implementationClass.getName()
                    + " implements no interface with abstract methods: a rapace service implements the Java"
                    + " interface that declares its methods");
        }
        throw new ServiceDefinitionException(implementationClass.getName() + " implements several interfaces "
                + candidates.stream().map(Class::getName).toList()
                + ": say which one is the service with @RapaceService(iface = ...)");
    }

    /**
     * Interfaces of the JDK and of frameworks ({@code AutoCloseable}, Spring's {@code DisposableBean} or AOP
     * proxy interfaces) are never service interfaces, so that implementing them needs no choice.
     */
    private static boolean isPlatformInterface(Class<?> type) {
        String name = type.getName();
        for (String prefix : PLATFORM_PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static void checkServiceName(String serviceName, Class<?> serviceInterface) {
        if (serviceName.isBlank() || serviceName.contains(".")) {
            throw new ServiceDefinitionException("service name \"" + serviceName + "\" of "
                    + serviceInterface.getName() + " is not usable: it must not be blank or contain '.'");
        }
    }

    private static Set<Class<?>> implementedInterfaces(Class<?> type) {
        Set<Class<?>> result = new LinkedHashSet<>();
        for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
            for (Class<?> iface : current.getInterfaces()) {
                result.add(iface);
            }
        }
        return result;
    }
}
