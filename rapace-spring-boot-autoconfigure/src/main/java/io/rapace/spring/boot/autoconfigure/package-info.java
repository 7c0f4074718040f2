/** Spring Boot auto-configuration that runs a rapace plugin session over a host's shared-memory segment. */
@NullMarked
package io.rapace.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
