/**
 * README: a service with a fixed-length result and a non-blocking method.
 */
@NullMarked
package io.rapace.docs.readme.hasher;

import org.jspecify.annotations.NullMarked;
