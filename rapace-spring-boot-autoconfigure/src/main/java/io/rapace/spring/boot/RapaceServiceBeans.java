package io.rapace.spring.boot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.rapace.core.service.RapaceService;
import io.rapace.core.service.RemoteMethod;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.session.Dispatcher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.OrderUtils;
import org.springframework.util.Assert;

/**
 * The service implementations among the beans: every bean whose class carries {@link RapaceService}, in
 * {@code @Order} / {@code Ordered} order. A bean behind a Spring AOP proxy (class-based or interface-based)
 * is judged by its target class, and served through the proxy. Beans whose type is an interface, JDK
 * proxies without a target and classes generated for clients (clients of a host service, which carry the
 * annotation through their interface) are not services. The beans are looked up once, when first asked for.
 */
public final class RapaceServiceBeans {

    private static final Log logger = LogFactory.getLog(RapaceServiceBeans.class);

    private final ListableBeanFactory beanFactory;

    private @Nullable List<ServiceBean> services;

    /** Finds the services among the beans of {@code beanFactory}. */
    public RapaceServiceBeans(ListableBeanFactory beanFactory) {
        Assert.notNull(beanFactory, "'beanFactory' must not be null");
        this.beanFactory = beanFactory;
    }

    /**
     * The service implementations, in order: {@link Ordered} beans by their order, else {@code @Order} on
     * the {@code @Bean} method, else {@code @Order} on the (target) class; unordered ones last, in
     * registration order.
     */
    public List<Object> implementations() {
        return services().stream().map(ServiceBean::bean).toList();
    }

    /** The definitions of the service implementations, in order. */
    public List<ServiceDefinition> definitions() {
        return services().stream().map(ServiceBean::definition).toList();
    }

    /** One dispatcher trying every service in order (spec §4: the first that knows the method wins). */
    public Dispatcher dispatcher() {
        List<ServiceBean> found = services();
        if (found.isEmpty()) {
            logger.warn("rapace: no @RapaceService beans; every call from the host will be answered Unimplemented");
        }
        for (ServiceBean service : found) {
            ServiceDefinition definition = service.definition();
            logger.info("rapace: serving " + definition.serviceName() + " "
                    + definition.methods().stream().map(RemoteMethod::name).toList() + " with bean '"
                    + service.name() + "' (" + service.serviceClass().getName() + ")");
        }
        return Dispatcher.chain(found.stream().map((service) -> service.definition().dispatcher()).toList());
    }

    private synchronized List<ServiceBean> services() {
        List<ServiceBean> found = this.services;
        if (found == null) {
            found = findServices();
            this.services = found;
        }
        return found;
    }

    private List<ServiceBean> findServices() {
        List<ServiceBean> found = new ArrayList<>();
        for (String name : this.beanFactory.getBeanNamesForAnnotation(RapaceService.class)) {
            // An interface-typed bean not created yet is a client of a host service: creating it here could
            // need the dispatcher that is being built.
            Class<?> type = this.beanFactory.getType(name);
            if (type == null || type.isInterface()) {
                continue;
            }
            Object bean = this.beanFactory.getBean(name);
            Class<?> serviceClass = ServiceBeanResolver.serviceClass(bean);
            if (ServiceBeanResolver.isServiceClass(serviceClass)) {
                found.add(new ServiceBean(name, bean, serviceClass, orderOf(name, bean, serviceClass),
                        ServiceBeanResolver.define(name, bean)));
            }
        }
        // List.sort is stable: equal orders keep the registration order.
        found.sort(Comparator.comparingInt(ServiceBean::order));
        return List.copyOf(found);
    }

    private int orderOf(String name, Object bean, Class<?> serviceClass) {
        if (bean instanceof Ordered ordered) {
            return ordered.getOrder();
        }
        if (this.beanFactory instanceof ConfigurableListableBeanFactory configurable
                && configurable.containsBeanDefinition(name)
                && configurable.getMergedBeanDefinition(name) instanceof RootBeanDefinition definition
                && definition.getResolvedFactoryMethod() != null) {
            Integer order = OrderUtils.getOrder(definition.getResolvedFactoryMethod());
            if (order != null) {
                return order;
            }
        }
        return OrderUtils.getOrder(serviceClass, Ordered.LOWEST_PRECEDENCE);
    }

    /** One service bean: its name, the object the calls go to, the class that declares it, its order. */
    private record ServiceBean(String name, Object bean, Class<?> serviceClass, int order,
            ServiceDefinition definition) {
    }
}
