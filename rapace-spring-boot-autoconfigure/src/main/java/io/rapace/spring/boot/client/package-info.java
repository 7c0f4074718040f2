/** Injectable clients of the rapace host's services: {@link io.rapace.spring.boot.client.ImportRapaceClients}. */
@NullMarked
package io.rapace.spring.boot.client;

import org.jspecify.annotations.NullMarked;
