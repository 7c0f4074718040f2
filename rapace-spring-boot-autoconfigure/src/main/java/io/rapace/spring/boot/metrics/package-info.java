/** Micrometer meters of the rapace segment and of the calls that the plugin serves. */
@NullMarked
package io.rapace.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
