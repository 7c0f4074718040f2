/**
 * Test support shared by every module: locating the wire contract's golden vectors, starting a process that a test
 * interrupts with a Ctrl-C.
 */
@NullMarked
package io.rapace.testsupport;

import org.jspecify.annotations.NullMarked;
