/** Auto-configuration of the factory of clients of the rapace host's services. */
@NullMarked
package io.rapace.spring.boot.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
