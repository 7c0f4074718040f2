package io.rapace.spring.boot.autoconfigure;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.rapace.core.service.RapaceService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;

import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.AnnotationConfigUtils;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * Registers every {@link RapaceService}-annotated class in the application's auto-configuration packages
 * (those of {@code @SpringBootApplication}) as a bean, so that {@code @RapaceService class CalculatorImpl
 * implements Calculator} needs no {@code @Component}. Classes that are beans already (also annotated
 * {@code @Component}, or returned by a {@code @Bean} method declared with that class) are left alone.
 */
final class RapaceServiceScanRegistrar
        implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

    private static final Log logger = LogFactory.getLog(RapaceServiceScanRegistrar.class);

    private @Nullable BeanFactory beanFactory;

    private @Nullable Environment environment;

    private @Nullable ResourceLoader resourceLoader;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (this.beanFactory == null || this.environment == null || !AutoConfigurationPackages.has(this.beanFactory)) {
            logger.debug("rapace: no auto-configuration packages, not scanning for @RapaceService classes");
            return;
        }
        List<String> packages = AutoConfigurationPackages.get(this.beanFactory);
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
                this.environment);
        if (this.resourceLoader != null) {
            scanner.setResourceLoader(this.resourceLoader);
        }
        scanner.addIncludeFilter(new AnnotationTypeFilter(RapaceService.class));
        Set<String> knownClasses = knownBeanClassNames(registry);
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                register(candidate, registry, knownClasses);
            }
        }
    }

    private static void register(BeanDefinition candidate, BeanDefinitionRegistry registry, Set<String> knownClasses) {
        String className = candidate.getBeanClassName();
        if (className == null || !knownClasses.add(className)) {
            return;
        }
        String name = AnnotationBeanNameGenerator.INSTANCE.generateBeanName(candidate, registry);
        if (registry.containsBeanDefinition(name)) {
            logger.debug("rapace: not registering @RapaceService class " + className + ": the bean name '" + name
                    + "' is taken");
            return;
        }
        if (candidate instanceof AnnotatedBeanDefinition annotated) {
            AnnotationConfigUtils.processCommonDefinitionAnnotations(annotated);
        }
        registry.registerBeanDefinition(name, candidate);
        logger.debug("rapace: registered @RapaceService class " + className + " as bean '" + name + "'");
    }

    /** The classes of the beans defined so far: their bean class, or the return type of their {@code @Bean} method. */
    private static Set<String> knownBeanClassNames(BeanDefinitionRegistry registry) {
        Set<String> names = new HashSet<>();
        for (String beanName : registry.getBeanDefinitionNames()) {
            BeanDefinition definition = registry.getBeanDefinition(beanName);
            if (definition instanceof AnnotatedBeanDefinition annotated && annotated.getFactoryMethodMetadata() != null) {
                names.add(annotated.getFactoryMethodMetadata().getReturnTypeName());
            }
            else if (definition.getBeanClassName() != null) {
                names.add(definition.getBeanClassName());
            }
        }
        return names;
    }
}
