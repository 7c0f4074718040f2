package io.rapace.spring.boot.client;

import java.beans.Introspector;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.Assert;

/** Registers the client beans that {@link ImportRapaceClients} lists. */
final class RapaceClientsRegistrar implements ImportBeanDefinitionRegistrar, BeanFactoryAware {

    private @Nullable BeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        MergedAnnotation<ImportRapaceClients> annotation = metadata.getAnnotations().get(ImportRapaceClients.class);
        BeanFactory factory = this.beanFactory;
        Assert.state(factory != null, "no bean factory");
        for (Class<?> serviceInterface : annotation.getClassArray("value")) {
            register(registry, factory, serviceInterface);
        }
    }

    private static <T> void register(BeanDefinitionRegistry registry, BeanFactory beanFactory,
            Class<T> serviceInterface) {
        Assert.isTrue(serviceInterface.isInterface(), () -> "@ImportRapaceClients lists "
                + serviceInterface.getName() + ", which is not an interface");
        String name = Introspector.decapitalize(serviceInterface.getSimpleName());
        if (registry.containsBeanDefinition(name)) {
            return;
        }
        RootBeanDefinition definition = new RootBeanDefinition(serviceInterface);
        definition.setInstanceSupplier(() -> clientFactory(beanFactory).create(serviceInterface));
        registry.registerBeanDefinition(name, definition);
    }

    private static RapaceClientFactory clientFactory(BeanFactory beanFactory) {
        RapaceClientFactory factory = beanFactory.getBeanProvider(RapaceClientFactory.class).getIfAvailable();
        if (factory != null) {
            return factory;
        }
        return new RapaceClientFactory(() -> {
            throw new IllegalStateException("rapace: no shared-memory segment path is configured, so there is no"
                    + " session to call the host through (see rapace.shm.path)");
        });
    }
}
