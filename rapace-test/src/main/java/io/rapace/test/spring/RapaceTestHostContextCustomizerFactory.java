package io.rapace.test.spring;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registered in {@code META-INF/spring.factories}: gives a test class annotated (directly, through a meta- or
 * enclosing-class annotation) with {@link RapaceSpringBootTest} a {@link RapaceTestHostContextCustomizer}.
 */
final class RapaceTestHostContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        RapaceSpringBootTest test = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                RapaceSpringBootTest.class);
        if (test == null) {
            return null;
        }
        if (test.callTimeoutSeconds() <= 0) {
            throw new IllegalStateException("@RapaceSpringBootTest(callTimeoutSeconds = " + test.callTimeoutSeconds()
                    + ") on " + testClass.getName() + ": the call timeout must be positive");
        }
        return new RapaceTestHostContextCustomizer(Duration.ofSeconds(test.callTimeoutSeconds()));
    }
}
