/**
 * Operations over the session itself: {@link io.rapace.core.operations.RapaceOperations}, a service every
 * rapace plugin of this project serves beside its own, through which any host (Java, Rust, anything that
 * speaks the wire) reads the plugin's health and meters with an ordinary call. No port, no JMX, no web server.
 * The wire form is in {@code docs/operations.md}.
 */
@NullMarked
package io.rapace.core.operations;

import org.jspecify.annotations.NullMarked;
