/**
 * The plugin's operations service in a Spring Boot application: {@link io.rapace.core.operations.RapaceOperations}
 * answered from the application's health contributors and meter registry.
 */
@NullMarked
package io.rapace.spring.boot.operations;

import org.jspecify.annotations.NullMarked;
