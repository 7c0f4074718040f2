package io.rapace.spring.boot.autoconfigure;

import java.time.Duration;

import io.rapace.core.session.SessionOptions;
import io.rapace.spring.boot.ApplicationExitingHostExitHandler;
import io.rapace.spring.boot.LoggingHostExitHandler;
import io.rapace.spring.boot.RapaceHostExitHandler;
import io.rapace.spring.boot.RapaceServiceBeans;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.RapaceShmPath;
import io.rapace.spring.boot.RapaceShmPathResolver;
import io.rapace.spring.boot.RapaceTransportFactory.ExpectedGeometry;
import io.rapace.spring.boot.RapaceTransportFactory;
import io.rapace.transport.shm.ShmOptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configuration of a rapace plugin: a {@link RapaceSessionLifecycle} that opens the host's segment when the
 * context starts and serves every {@code @RapaceService} bean over it. Active only when a segment path is
 * configured ({@link ConditionalOnRapaceShmPath}); otherwise one WARN line says that the session does not start.
 * The session options come from {@link RapaceProperties}, then every {@link RapaceSessionOptionsCustomizer} bean
 * in order. Each bean backs off when the application defines its own (the lifecycle by its name,
 * {@code rapaceSessionLifecycle}).
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
        return transportFactory(properties);
    }

    /** A factory with the timeouts and the expected geometry that {@code properties} set. */
    static RapaceTransportFactory transportFactory(RapaceProperties properties) {
        ShmOptions options = ShmOptions.defaults()
            .withOpenTimeout(properties.getShm().getWaitTimeout())
            .withLivenessTimeout(properties.getLivenessTimeout())
            .withPeerGoneAfter(max(properties.getPeerGoneAfter(), properties.getLivenessTimeout()));
        RapaceProperties.Shm shm = properties.getShm();
        @Nullable DataSize slotSize = shm.getSlotSize();
        return new RapaceTransportFactory(options, new ExpectedGeometry(shm.getRingCapacity(),
                (slotSize != null) ? Long.valueOf(slotSize.toBytes()) : null, shm.getSlotCount()));
    }

    private static Duration max(Duration a, Duration b) {
        return (a.compareTo(b) >= 0) ? a : b;
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
    @ConditionalOnMissingBean(name = "rapaceSessionLifecycle")
    RapaceSessionLifecycle rapaceSessionLifecycle(RapaceShmPath path, RapaceTransportFactory transportFactory,
            RapaceProperties properties, RapaceServiceBeans services,
            ObjectProvider<RapaceSessionOptionsCustomizer> customizers, RapaceHostExitHandler hostExitHandler) {
        return new RapaceSessionLifecycle(path, transportFactory,
                () -> sessionOptions(properties, services, customizers), properties.getShutdownGracePeriod(),
                hostExitHandler);
    }

    /** The options of a session about to start: the properties, the services' dispatcher, then the customizers. */
    static SessionOptions sessionOptions(RapaceProperties properties, RapaceServiceBeans services,
            ObjectProvider<RapaceSessionOptionsCustomizer> customizers) {
        SessionOptions options = SessionOptions.defaults()
            .withDispatcher(services.dispatcher())
            .withDefaultCallTimeout(properties.getCallTimeout())
            .withCloseGrace(properties.getShutdownGracePeriod());
        for (RapaceSessionOptionsCustomizer customizer : customizers.orderedStream().toList()) {
            options = customizer.customize(options);
        }
        return options;
    }
}
