/**
 * The fast launch of a plugin from a plain {@code java -jar}: when the build trained one beside the jar, the
 * plugin's {@code main} hands the process over to it ({@link io.rapace.spring.boot.launch.RapaceFastLaunch}). The jar
 * mode {@code rapace-fast-launch} ({@code java -Djarmode=rapace-fast-launch -jar PLUGIN.jar}) makes that fast launch
 * beside a built jar in one step: the extracted jar, the launcher script and its trained AOT cache.
 */
@NullMarked
package io.rapace.spring.boot.launch;

import org.jspecify.annotations.NullMarked;
