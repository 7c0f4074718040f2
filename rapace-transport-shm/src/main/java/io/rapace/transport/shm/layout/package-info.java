/**
 * Byte layout of the rapace v1.0 shared-memory segment: field offsets of every header and the
 * region offsets of one segment geometry.
 */
@NullMarked
package io.rapace.transport.shm.layout;

import org.jspecify.annotations.NullMarked;
