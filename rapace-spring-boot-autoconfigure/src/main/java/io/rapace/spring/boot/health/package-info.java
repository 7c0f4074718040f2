/** Actuator health of the rapace session: the {@code rapace} health indicator. */
@NullMarked
package io.rapace.spring.boot.health;

import org.jspecify.annotations.NullMarked;
