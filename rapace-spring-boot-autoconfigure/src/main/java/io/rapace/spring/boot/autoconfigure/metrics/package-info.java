/** Micrometer meters for the rapace transport and the served calls, and their auto-configuration. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
