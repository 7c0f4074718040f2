/**
 * The RPC session over one shared-memory transport: channels, unary and server-streaming calls,
 * request dispatch, deadlines, cancellation, the control channel and orderly shutdown.
 */
@NullMarked
package io.rapace.core.session;

import org.jspecify.annotations.NullMarked;
