/**
 * operations.md: a host reading its plugin's health and meters.
 */
@NullMarked
package io.rapace.docs.operations;

import org.jspecify.annotations.NullMarked;
