package io.rapace.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The declarative form of {@link RapacePluginExtension}: starts the plugin {@link #mainClass()} (or
 * {@link #jar()}) for the annotated class, injects clients into {@link RapaceClient} fields and into parameters
 * whose type is a {@code @RapaceService} interface (and the extension itself into a
 * {@code RapacePluginExtension} parameter).
 *
 * <pre>{@code
 * @RapacePluginTest(mainClass = CalculatorPlugin.class)
 * class CalculatorPluginTest {
 *     @RapaceClient
 *     Calculator calculator;
 *
 *     @Test
 *     void adds() {
 *         assertThat(this.calculator.add(2, 3)).isEqualTo(5);
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(RapacePluginTestExtension.class)
public @interface RapacePluginTest {

    /** The plugin's main class, run in a child JVM with the test class path; or set {@link #jar()}. */
    Class<?> mainClass() default void.class;

    /** The plugin's executable jar, relative to the working directory; or set {@link #mainClass()}. */
    String jar() default "";

    /** Options of the plugin's JVM. */
    String[] jvmOptions() default {};

    /** Plugin arguments, before the segment path. */
    String[] arguments() default {};

    /** How long the plugin may take to open its segment, in seconds. */
    long startTimeoutSeconds() default 60;

    /** How long the plugin may take to exit after SIGTERM at the end, in seconds. */
    long stopTimeoutSeconds() default 15;

    /** One plugin for the class, or one per test. */
    PluginLifecycle lifecycle() default PluginLifecycle.PER_CLASS;
}
