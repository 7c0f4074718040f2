/**
 * transport.md: the transport alone, frames and rings.
 */
@NullMarked
package io.rapace.docs.transport;

import org.jspecify.annotations.NullMarked;
