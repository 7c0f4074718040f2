/**
 * A rapace plugin in a Spring application: the session lifecycle that opens the host's segment and serves the
 * {@code @RapaceService} beans, its events, and what happens when the host goes away.
 */
@NullMarked
package io.rapace.spring.boot;

import org.jspecify.annotations.NullMarked;
