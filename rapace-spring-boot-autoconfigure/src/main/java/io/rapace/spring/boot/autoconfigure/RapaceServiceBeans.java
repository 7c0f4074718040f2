package io.rapace.spring.boot.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.rapace.core.service.MethodDefinition;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.session.Dispatcher;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
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

    /** The service implementations, in {@code @Order} order (unordered ones last). */
    public List<Object> implementations() {
        List<Object> services = new ArrayList<>();
        for (String name : this.beanFactory.getBeanNamesForAnnotation(RapaceService.class)) {
            Class<?> type = this.beanFactory.getType(name);
            if (type != null && !type.isInterface()) {
                services.add(this.beanFactory.getBean(name));
            }
        }
        AnnotationAwareOrderComparator.sort(services);
        return services;
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
