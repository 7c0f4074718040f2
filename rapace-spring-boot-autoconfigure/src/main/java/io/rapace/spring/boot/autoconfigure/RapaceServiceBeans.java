package io.rapace.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.rapace.core.service.MethodDefinition;
import io.rapace.core.service.RapaceService;
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
 * {@code @Order} / {@code Ordered} order. Beans whose type is an interface (client proxies of a host
 * service, which carry the annotation on their interface) are not services. The beans are looked up when
 * {@link #definitions()} is first called.
 */
public final class RapaceServiceBeans {

    private static final Log logger = LogFactory.getLog(RapaceServiceBeans.class);

    private final ListableBeanFactory beanFactory;

    private @Nullable List<ServiceDefinition> definitions;

    /** Finds the services among the beans of {@code beanFactory}. */
    public RapaceServiceBeans(ListableBeanFactory beanFactory) {
        Assert.notNull(beanFactory, "'beanFactory' must not be null");
        this.beanFactory = beanFactory;
    }

    /**
     * The service implementations, in order: {@link Ordered} beans by their order, else {@code @Order} on
     * the {@code @Bean} method, else {@code @Order} on the class; unordered ones last, in registration order.
     */
    public List<Object> implementations() {
        List<OrderedBean> services = new ArrayList<>();
        for (String name : this.beanFactory.getBeanNamesForAnnotation(RapaceService.class)) {
            Class<?> type = this.beanFactory.getType(name);
            if (type != null && !type.isInterface()) {
                Object bean = this.beanFactory.getBean(name);
                services.add(new OrderedBean(bean, orderOf(name, bean)));
            }
        }
        // List.sort is stable: equal orders keep the registration order.
        services.sort(Comparator.comparingInt(OrderedBean::order));
        return services.stream().map(OrderedBean::bean).toList();
    }

    private int orderOf(String name, Object bean) {
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
        return OrderUtils.getOrder(bean.getClass(), Ordered.LOWEST_PRECEDENCE);
    }

    private record OrderedBean(Object bean, int order) {
    }

    /** The definitions of the service implementations, in order; read once, then remembered. */
    public synchronized List<ServiceDefinition> definitions() {
        List<ServiceDefinition> read = this.definitions;
        if (read == null) {
            read = implementations().stream().map(ServiceDefinition::of).toList();
            this.definitions = read;
        }
        return read;
    }

    /** One dispatcher trying every service in order (spec §4: the first that knows the method wins). */
    public Dispatcher dispatcher() {
        List<ServiceDefinition> definitions = definitions();
        if (definitions.isEmpty()) {
            logger.warn("rapace: no @RapaceService beans; every call from the host will be answered Unimplemented");
        }
        for (ServiceDefinition definition : definitions) {
            logger.info("rapace: serving " + definition.serviceName() + " " + definition.methods().stream()
                .map(MethodDefinition::name).toList());
        }
        return Dispatcher.chain(definitions.stream().map(ServiceDefinition::dispatcher).toList());
    }
}
