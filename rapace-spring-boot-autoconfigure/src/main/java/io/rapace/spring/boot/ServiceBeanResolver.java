package io.rapace.spring.boot;

import java.lang.reflect.Proxy;

import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.util.ClassUtils;

/**
 * Sees through Spring AOP proxies to the class that declares a service bean, and defines the service so that
 * the calls still go through the proxy (its advice applies). The class behind a proxy, not the proxy's class,
 * carries {@link RapaceService}, {@code @Order} and the service's name.
 */
final class ServiceBeanResolver {

    private ServiceBeanResolver() {
    }

    /**
     * The class that declares {@code bean}: the target class behind a Spring AOP proxy (class-based or
     * interface-based), the user class behind a CGLIB subclass, else the bean's own class.
     */
    static Class<?> serviceClass(Object bean) {
        return ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
    }

    /**
     * Whether beans of {@code serviceClass} are served: it carries {@link RapaceService} (on itself, a
     * superclass or an interface), and it is neither an interface nor a JDK proxy class. A JDK proxy whose
     * target class is unknown is a client of a host service, never an implementation.
     */
    static boolean isServiceClass(Class<?> serviceClass) {
        return !serviceClass.isInterface() && !Proxy.isProxyClass(serviceClass)
                && MergedAnnotations.from(serviceClass, SearchStrategy.TYPE_HIERARCHY).isPresent(RapaceService.class);
    }

    /**
     * Defines the service of {@code bean}, named {@code beanName} in messages. A proxy is defined as its
     * target declares the service (interface, name), and the calls go to the proxy.
     *
     * @throws IllegalStateException when the proxy would serve the service under another name than its
     *     target declares (an interface-based proxy of a class whose {@code @RapaceService} names the service)
     */
    static ServiceDefinition define(String beanName, Object bean) {
        Object target = AopProxyUtils.getSingletonTarget(bean);
        if (target == null) {
            return ServiceDefinition.of(bean);
        }
        ServiceDefinition declared = define(beanName, target);
        ServiceDefinition served = ServiceDefinition.of(declared.serviceInterface(), bean);
        if (!served.serviceName().equals(declared.serviceName())) {
            throw new IllegalStateException("rapace: bean '" + beanName + "' is an interface-based proxy of "
                    + serviceClass(bean).getName() + ", which serves \"" + declared.serviceName()
                    + "\", but through the proxy the service would be named \"" + served.serviceName()
                    + "\": proxy the class instead (spring.aop.proxy-target-class=true, the Spring Boot default)"
                    + " or name the service on its interface (@RapaceService(\"" + declared.serviceName() + "\") on "
                    + declared.serviceInterface().getName() + ")");
        }
        return served;
    }
}
