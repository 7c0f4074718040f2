package io.rapace.core.service;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.rapace.core.session.Dispatcher;

/** Puts several services behind one dispatcher, checking that their method ids do not collide. */
public final class Services {

    private Services() {
    }

    /** Defines each implementation with {@link ServiceDefinition#of(Object)}. */
    public static List<ServiceDefinition> define(Object... implementations) {
        List<ServiceDefinition> definitions = new ArrayList<>(implementations.length);
        for (Object implementation : implementations) {
            definitions.add(implementation instanceof ServiceDefinition definition ? definition
                    : ServiceDefinition.of(implementation));
        }
        return definitions;
    }

    /**
     * A dispatcher that tries the services in order ({@link Dispatcher#chain(List)}); a method id no service
     * knows is answered with Unimplemented by the session.
     *
     * @throws ServiceDefinitionException when two methods of different services share an id; the message
     *     names both {@code "Service.method"} strings
     */
    public static Dispatcher dispatcher(Collection<ServiceDefinition> services) {
        Map<Integer, MethodDefinition> byId = new HashMap<>();
        List<Dispatcher> dispatchers = new ArrayList<>(services.size());
        for (ServiceDefinition service : services) {
            for (MethodDefinition method : service.contract().methods()) {
                MethodDefinition clash = byId.putIfAbsent(method.id(), method);
                if (clash != null) {
                    throw DuplicateIds.error(clash, method);
                }
            }
            dispatchers.add(service.dispatcher());
        }
        return switch (dispatchers.size()) {
            case 0 -> Dispatcher.none();
            case 1 -> dispatchers.getFirst();
            default -> Dispatcher.chain(dispatchers);
        };
    }

    /** {@code dispatcher(define(implementations))}. */
    public static Dispatcher dispatcher(Object... implementations) {
        return dispatcher(define(implementations));
    }
}
