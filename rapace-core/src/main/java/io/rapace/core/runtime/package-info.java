/**
 * Running rapace without Spring: a plugin's main loop ({@link io.rapace.core.runtime.RapacePlugin}) and a
 * host that creates the segment and launches a plugin process ({@link io.rapace.core.runtime.RapaceHost}).
 */
@NullMarked
package io.rapace.core.runtime;

import org.jspecify.annotations.NullMarked;
