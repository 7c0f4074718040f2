/**
 * The fast launch of a plugin from a plain {@code java -jar}: when the build trained one beside the jar, the
 * plugin's {@code main} hands the process over to it ({@link io.rapace.spring.boot.launch.RapaceFastLaunch}).
 */
@NullMarked
package io.rapace.spring.boot.launch;

import org.jspecify.annotations.NullMarked;
