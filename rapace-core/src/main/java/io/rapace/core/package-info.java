/**
 * The vocabulary every rapace layer above the transport shares: wire error codes and the exception
 * that carries them. The layers live in sub-packages: {@code codec} (postcard bodies),
 * {@code session} (channels, calls, streaming), {@code service} (typed services, dispatch, client
 * proxies) and {@code runtime} (running a plugin, launching one from a host).
 */
@NullMarked
package io.rapace.core;

import org.jspecify.annotations.NullMarked;
