package io.rapace.core.service;

/**
 * A service or client interface that cannot be used as declared: no or several candidate interfaces,
 * an empty name, colliding method ids, a type the codec does not support. Thrown at startup, when the
 * definition is built, never per call.
 */
public final class ServiceDefinitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A definition error described by {@code message}. */
    public ServiceDefinitionException(String message) {
        super(message);
    }

    /** A definition error described by {@code message}, caused by {@code cause}. */
    public ServiceDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
