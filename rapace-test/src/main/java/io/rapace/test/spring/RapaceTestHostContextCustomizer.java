package io.rapace.test.spring;

import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts a {@link RapaceTestHost} before the context refreshes, points the plugin at its segment and registers
 * it as the bean {@value #BEAN_NAME}, destroyed with the context. A value: equal customizers (same call timeout)
 * leave the context cache key unchanged, so contexts are shared as usual, each with its own host.
 *
 * @param callTimeout the host's default call deadline
 */
record RapaceTestHostContextCustomizer(Duration callTimeout) implements ContextCustomizer {

    /** The name of the host bean. */
    static final String BEAN_NAME = "rapaceTestHost";

    /** The property source that carries the segment path; first, so it wins over application properties. */
    static final String PROPERTY_SOURCE = "rapaceTestHost";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        RapaceTestHost host = RapaceTestHost.start(this.callTimeout);
        try {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE, Map.of(
                    "rapace.shm.path", host.path().toString(),
                    // A test host never "dies" on purpose, and the plugin must never System.exit the test JVM.
                    "rapace.exit-on-host-exit", "false")));
            ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
            beanFactory.registerSingleton(BEAN_NAME, host);
            // Registered before every other bean, so destroyed after them: after the plugin's session has stopped.
            ((DefaultSingletonBeanRegistry) beanFactory).registerDisposableBean(BEAN_NAME, host::close);
        }
        catch (RuntimeException ex) {
            host.close();
            throw ex;
        }
    }
}
