/**
 * Test support shared by every module: locating the wire contract's golden vectors.
 */
@NullMarked
package io.rapace.testsupport;

import org.jspecify.annotations.NullMarked;
