package io.rapace.spring.boot.autoconfigure;

import io.rapace.core.session.SessionOptions;

/**
 * Adjusts the options of the plugin's {@code RpcSession} each time it starts. Beans of this type are applied
 * in {@code @Order} order after the options derived from {@link RapaceProperties}.
 */
@FunctionalInterface
public interface RapaceSessionOptionsCustomizer {

    /** Returns the options to use, derived from {@code options}. */
    SessionOptions customize(SessionOptions options);
}
