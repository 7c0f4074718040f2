/**
 * Auto-configuration of the plugin's operations service ({@link io.rapace.core.operations.RapaceOperations}).
 */
@NullMarked
package io.rapace.spring.boot.autoconfigure.operations;

import org.jspecify.annotations.NullMarked;
