/** The demo host: a plain-Java rapace host that launches the sample Spring Boot plugin and calls it. */
@NullMarked
package io.rapace.demo;

import org.jspecify.annotations.NullMarked;
