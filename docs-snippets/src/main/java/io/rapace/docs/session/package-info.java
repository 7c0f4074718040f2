/**
 * session.md: a session over a transport, raw byte[] calls.
 */
@NullMarked
package io.rapace.docs.session;

import org.jspecify.annotations.NullMarked;
