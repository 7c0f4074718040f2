/**
 * Typed rapace services: annotations, method ids, service definitions, dispatch and client proxies.
 */
@NullMarked
package io.rapace.core.service;

import org.jspecify.annotations.NullMarked;
