/**
 * Spring Boot wiring of plugin supervision: {@code rapace.plugins.<name>.*} properties, a {@code SmartLifecycle}
 * that starts the plugins before the web server and stops them after it, client beans qualified by plugin name,
 * health, meters and the {@code rapacePlugins} endpoint.
 */
@NullMarked
package io.rapace.spring.boot.host.autoconfigure;

import org.jspecify.annotations.NullMarked;
