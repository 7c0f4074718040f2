/**
 * Supervision of rapace plugin processes by a host application: each plugin runs as a sequence of incarnations
 * (a fresh {@code RapaceHost}, segment and process each), restarted with backoff after a failure, and its clients
 * route every call to the incarnation running at the time.
 */
@NullMarked
package io.rapace.spring.boot.host;

import org.jspecify.annotations.NullMarked;
