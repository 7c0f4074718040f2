/**
 * README and runtime.md: a plain-Java plugin and its host.
 */
@NullMarked
package io.rapace.docs.plain;

import org.jspecify.annotations.NullMarked;
