/**
 * Start-up figures: launch a plugin process as a host and time launch to first answer. Printed, never asserted.
 */
@NullMarked
package io.rapace.benchmarks.startup;

import org.jspecify.annotations.NullMarked;
