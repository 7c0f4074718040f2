/**
 * Typed rapace services: annotations, method ids, service definitions, dispatch and clients.
 */
@NullMarked
package io.rapace.core.service;

import org.jspecify.annotations.NullMarked;
