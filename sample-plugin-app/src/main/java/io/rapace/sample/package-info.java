/** The sample rapace plugin: a Spring Boot application serving {@code Calculator} and {@code Hasher}. */
@NullMarked
package io.rapace.sample;

import org.jspecify.annotations.NullMarked;
