package io.rapace.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test field or parameter whose type is a service interface: the {@link RapacePluginExtension} injects a
 * typed client of the plugin's service there. Parameters whose interface carries
 * {@link io.rapace.core.service.RapaceService} need no mark.
 *
 * <pre>{@code
 * @RapaceClient
 * Calculator calculator;
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.PARAMETER })
public @interface RapaceClient {
}
