/**
 * services.md: declaring, dispatching and calling typed services.
 */
@NullMarked
package io.rapace.docs.services;

import org.jspecify.annotations.NullMarked;
