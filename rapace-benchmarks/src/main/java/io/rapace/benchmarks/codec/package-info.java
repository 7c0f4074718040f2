/**
 * JMH benchmarks of the postcard codec: encode and decode of records shaped like the golden vectors, with the
 * bytes allocated per operation ({@code -prof gc}).
 */
@NullMarked
package io.rapace.benchmarks.codec;

import org.jspecify.annotations.NullMarked;
