/** Auto-configuration of the {@code rapace} health indicator. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
