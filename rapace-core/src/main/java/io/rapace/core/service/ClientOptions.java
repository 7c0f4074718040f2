package io.rapace.core.service;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Options of a client.
 *
 * @param timeout the deadline of every call made through the client; {@code null} means the session's
 *     default call timeout
 */
public record ClientOptions(@Nullable Duration timeout) {

    /** Checks that a given timeout is positive. */
    public ClientOptions {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
    }

    /** The session's defaults. */
    public static ClientOptions defaults() {
        return new ClientOptions(null);
    }

    /** These options with {@code timeout} as the call timeout. */
    public ClientOptions withTimeout(@Nullable Duration timeout) {
        return new ClientOptions(timeout);
    }
}
