/** Classes found by the {@code @RapaceService} scan in tests. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.scan;

import org.jspecify.annotations.NullMarked;
