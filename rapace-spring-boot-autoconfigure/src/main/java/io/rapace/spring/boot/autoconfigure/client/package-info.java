/** Injectable clients for the services of the rapace host, and their auto-configuration. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
