/**
 * A plugin's fast launch, trained at build time: {@link io.rapace.test.aot.AotTraining} runs a real session
 * against the plugin's launcher script in training mode, so that the JVM writes a JDK AOT cache of a start
 * that really served a host (docs/startup.md).
 */
@NullMarked
package io.rapace.test.aot;

import org.jspecify.annotations.NullMarked;
