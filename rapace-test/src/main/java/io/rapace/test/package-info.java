/**
 * The JUnit Jupiter test kit for rapace plugins: {@link io.rapace.test.RapacePluginExtension} starts a plugin
 * with a host in the test JVM (as a child JVM, a jar, any command, or in this JVM over a real segment) and
 * injects typed clients; {@link io.rapace.test.RapacePluginTest} is its declarative form. See docs/testing.md.
 */
@NullMarked
package io.rapace.test;

import org.jspecify.annotations.NullMarked;
