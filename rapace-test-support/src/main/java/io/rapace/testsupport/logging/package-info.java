/**
 * Keeping the warnings that negative tests provoke out of the build output: {@link
 * io.rapace.testsupport.logging.LogCapture} captures them for the test to check, and prints them only when the
 * test fails.
 */
@NullMarked
package io.rapace.testsupport.logging;

import org.jspecify.annotations.NullMarked;
