package io.rapace.core.service;

import org.jspecify.annotations.Nullable;

/** How a client's calls reach their session, chosen once per client from its {@link SessionSource}. */
sealed interface CallRouting permits DirectRouting, AwaitedRouting {

    /** The routing of calls from {@code source} with {@code options}. */
    static CallRouting of(SessionSource source, ClientOptions options) {
        return switch (source) {
            case DirectSource direct -> new DirectRouting(direct, options.timeout());
            case SessionSource.Awaited awaited -> new AwaitedRouting(awaited, options.timeout());
        };
    }

    /**
     * Calls {@code method} with {@code arguments}: the answer of a plain-value method, else its future,
     * {@code Mono} or {@code Flux}.
     */
    @Nullable Object call(MethodDefinition method, Object[] arguments);
}
