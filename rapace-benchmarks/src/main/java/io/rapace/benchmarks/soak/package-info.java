/**
 * The soak harness of the reliability promises: many callers, mixed calls of random sizes, a plugin
 * stopped and continued at random; it counts what was answered and what was lost.
 */
@NullMarked
package io.rapace.benchmarks.soak;

import org.jspecify.annotations.NullMarked;
