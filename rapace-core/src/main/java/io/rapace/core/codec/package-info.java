/**
 * Postcard bodies (spec §6): codecs between Java values and the bytes the Rust reference's serde/postcard produces.
 */
@NullMarked
package io.rapace.core.codec;

import org.jspecify.annotations.NullMarked;
