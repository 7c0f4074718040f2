package io.rapace.spring.boot.autoconfigure;

import io.rapace.spring.boot.RapaceShmPathResolver;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when a segment path is configured: the {@code rapace.shm.path} property, or the rapace host
 * convention in the program arguments ({@code --shm-path=PATH}, {@code --addr=PATH}, first positional
 * argument). See {@link RapaceShmPathResolver}. When it does not match it logs one INFO line saying
 * that the rapace session will not start.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Conditional(OnRapaceShmPathCondition.class)
public @interface ConditionalOnRapaceShmPath {
}
