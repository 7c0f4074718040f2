package io.rapace.spring.boot.autoconfigure;

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmTransport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of a rapace plugin: opens the host's segment, builds one dispatcher from every
 * {@code @RapaceService} bean and runs the session as a {@link RapaceSessionLifecycle}. Active only when a
 * segment path is configured ({@link ConditionalOnRapaceShmPath}); otherwise one INFO line says that the
 * session does not start. Every bean backs off when the application defines its own.
 */
@AutoConfiguration(after = RapaceServicesAutoConfiguration.class)
@ConditionalOnRapaceShmPath
@EnableConfigurationProperties(RapaceProperties.class)
public final class RapaceAutoConfiguration {

    RapaceAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceShmPath rapaceShmPath(Environment environment, ObjectProvider<ApplicationArguments> arguments) {
        return new RapaceShmPathResolver(environment, arguments.getIfAvailable())
            .resolve()
            .orElseThrow(() -> new IllegalStateException(OnRapaceShmPathCondition.NOT_STARTING_MESSAGE));
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceTransportFactory rapaceTransportFactory(RapaceProperties properties) {
        return new RapaceTransportFactory(properties);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ShmTransport rapaceTransport(RapaceTransportFactory factory, RapaceShmPath path) {
        return factory.open(path);
    }

    @Bean
    @ConditionalOnMissingBean
    Dispatcher rapaceDispatcher(RapaceServiceBeans services) {
        return services.dispatcher();
    }

    @Bean
    @ConditionalOnMissingBean
    SessionOptions rapaceSessionOptions(RapaceProperties properties, Dispatcher dispatcher,
            ObjectProvider<RapaceSessionOptionsCustomizer> customizers) {
        SessionOptions options = SessionOptions.defaults()
            .withDispatcher(dispatcher)
            .withDefaultCallTimeout(properties.getCallTimeout())
            .withCloseGrace(properties.getShutdownGracePeriod());
        for (RapaceSessionOptionsCustomizer customizer : customizers.orderedStream().toList()) {
            options = customizer.customize(options);
        }
        return options;
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceHostExitHandler rapaceHostExitHandler(RapaceProperties properties, ApplicationContext context) {
        if (properties.isExitOnHostExit()) {
            return new ApplicationExitingHostExitHandler(context, System::exit);
        }
        return new LoggingHostExitHandler();
    }

    @Bean
    @ConditionalOnMissingBean
    RapaceSessionLifecycle rapaceSessionLifecycle(ShmTransport transport, SessionOptions options,
            RapaceProperties properties, RapaceHostExitHandler hostExitHandler) {
        return new RapaceSessionLifecycle(transport, options, properties.getShutdownGracePeriod(), hostExitHandler);
    }
}
