/**
 * codec.md: building codecs and encoding values.
 */
@NullMarked
package io.rapace.docs.codec;

import org.jspecify.annotations.NullMarked;
