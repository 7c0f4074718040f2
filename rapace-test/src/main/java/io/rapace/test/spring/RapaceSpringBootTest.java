package io.rapace.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.annotation.AliasFor;

/**
 * A {@link SpringBootTest} of a rapace plugin with its host in the test JVM: before the application context
 * starts, a host creates a segment and points the plugin at it ({@code rapace.shm.path}, with
 * {@code rapace.exit-on-host-exit=false} so that the plugin never ends the test JVM). The plugin's
 * auto-configuration opens the segment and serves its {@code @RapaceService} beans as in production; the test
 * gets a {@link RapaceTestHost} bean that makes typed clients.
 *
 * <pre>{@code
 * @RapaceSpringBootTest
 * class CalculatorOverTheSegmentTests {
 *     @Autowired
 *     RapaceTestHost host;
 *
 *     @Test
 *     void adds() {
 *         assertThat(this.host.client(Calculator.class).add(2, 3)).isEqualTo(5);
 *     }
 * }
 * }</pre>
 *
 * <p>Contexts are cached as usual: test classes with the same configuration and the same attributes here share
 * one context, hence one host and one segment, which is closed and deleted when the context is closed.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@SpringBootTest
public @interface RapaceSpringBootTest {

    /** Properties of the test's environment, as {@link SpringBootTest#properties()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "properties")
    String[] properties() default {};

    /** The component classes of the context, as {@link SpringBootTest#classes()}. */
    @AliasFor(annotation = SpringBootTest.class, attribute = "classes")
    Class<?>[] classes() default {};

    /** The default deadline of the host's client calls, in seconds. */
    long callTimeoutSeconds() default 30;
}
