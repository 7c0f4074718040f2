/**
 * The test kit for Spring Boot plugins: {@link io.rapace.test.spring.RapaceSpringBootTest} starts the plugin's
 * application context with a host in the same JVM ({@link io.rapace.test.spring.RapaceTestHost}), so that a test
 * calls the plugin's real beans over a real segment. See docs/testing.md.
 */
@NullMarked
package io.rapace.test.spring;

import org.jspecify.annotations.NullMarked;
