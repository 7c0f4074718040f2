/** Auto-configuration of the rapace meters. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
