/** Actuator health for the rapace session: the {@code rapace} health indicator and its auto-configuration. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
