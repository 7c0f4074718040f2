package io.rapace.test;

import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * What {@link RapacePluginTest} registers: one {@link RapacePluginExtension}, made from the annotation of the
 * test class (or of a class enclosing it), to which every callback is handed.
 */
final class RapacePluginTestExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver,
        TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace
            .create(RapacePluginTestExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        delegate(context).beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        delegate(context).afterAll(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        delegate(context).beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        delegate(context).afterEach(context);
    }

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
        delegate(context).testFailed(context, cause);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return delegate(extensionContext).supportsParameter(parameterContext, extensionContext);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return delegate(extensionContext).resolveParameter(parameterContext, extensionContext);
    }

    private static RapacePluginExtension delegate(ExtensionContext context) {
        Class<?> annotated = annotatedClass(context.getRequiredTestClass());
        return context.getRoot().getStore(NAMESPACE).computeIfAbsent(annotated,
                type -> create(type, type.getAnnotation(RapacePluginTest.class)), RapacePluginExtension.class);
    }

    private static Class<?> annotatedClass(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            if (type.isAnnotationPresent(RapacePluginTest.class)) {
                return type;
            }
        }
        throw new ExtensionConfigurationException("no @RapacePluginTest on " + testClass.getName()
                + " or a class enclosing it");
    }

    static RapacePluginExtension create(Class<?> annotated, RapacePluginTest test) {
        boolean hasMain = test.mainClass() != void.class;
        boolean hasJar = !test.jar().isEmpty();
        if (hasMain == hasJar) {
            throw new ExtensionConfigurationException("@RapacePluginTest on " + annotated.getName()
                    + " needs exactly one of mainClass or jar, got mainClass=" + test.mainClass().getName()
                    + ", jar=\"" + test.jar() + "\"");
        }
        RapacePluginExtension extension = hasMain ? RapacePluginExtension.mainClass(test.mainClass())
                : RapacePluginExtension.jar(Path.of(test.jar()));
        return extension.jvmOptions(test.jvmOptions()).arguments(test.arguments())
                .startTimeout(Duration.ofSeconds(test.startTimeoutSeconds()))
                .stopTimeout(Duration.ofSeconds(test.stopTimeoutSeconds())).lifecycle(test.lifecycle());
    }
}
