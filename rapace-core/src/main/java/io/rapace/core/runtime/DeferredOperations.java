package io.rapace.core.runtime;

import java.util.List;
import java.util.function.Supplier;

import io.rapace.core.operations.RapaceOperations;
import io.rapace.core.service.MethodIds;
import io.rapace.core.service.RemoteMethod;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.MethodHandler;
import io.rapace.core.session.ServerCall;
import org.jspecify.annotations.Nullable;

/**
 * The operations service of a plain-Java plugin ({@link RapaceOperations}), defined at its first call rather than at
 * start-up: defining a service composes its codecs and method handles, 40-55 ms of a cold JVM for this one (records
 * among its results), which a plugin would otherwise spend before its first answer while hosts ask for health
 * seldom, if ever. Its method ids are known beforehand ({@link #METHODS}, checked against the interface by a test),
 * so that routing and the check against the plugin's own ids need no definition. A call of either method runs on a
 * handler thread, which defines the service once (later calls find it defined) and hands the call to its handler.
 */
final class DeferredOperations implements Dispatcher {

    /** The service's name on the wire (its {@code @RapaceService}). */
    static final String SERVICE = "RapaceOperations";

    /** Its methods' names on the wire, in the interface's order. */
    static final List<String> METHODS = List.of("health", "metrics");

    private final Supplier<? extends RapaceOperations> implementation;

    /** The methods as the wire knows them, in {@link #METHODS}' order. */
    private final List<RemoteMethod> methods;

    private final MethodHandler[] handlers;

    /** The service once defined; volatile: defined by the first call's handler thread, read by every later one. */
    private volatile @Nullable Dispatcher defined;

    DeferredOperations(Supplier<? extends RapaceOperations> implementation) {
        this.implementation = implementation;
        RemoteMethod[] known = new RemoteMethod[METHODS.size()];
        this.handlers = new MethodHandler[known.length];
        for (int i = 0; i < known.length; i++) {
            int id = MethodIds.methodId(SERVICE, METHODS.get(i));
            known[i] = new RemoteMethod(SERVICE, METHODS.get(i), id);
            this.handlers[i] = call -> handle(id, call);
        }
        this.methods = List.of(known);
    }

    /** The methods as the wire knows them. */
    List<RemoteMethod> methods() {
        return this.methods;
    }

    /** The method with {@code methodId}, or null: for the check against the plugin's own ids. */
    @Nullable RemoteMethod method(int methodId) {
        int index = indexOf(methodId);
        return index < 0 ? null : this.methods.get(index);
    }

    @Override
    public @Nullable MethodHandler lookup(int methodId) {
        int index = indexOf(methodId);
        return index < 0 ? null : this.handlers[index];
    }

    private int indexOf(int methodId) {
        for (int i = 0; i < this.handlers.length; i++) {
            if (this.methods.get(i).id() == methodId) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the service has been defined (by a first call). */
    boolean isDefined() {
        return this.defined != null;
    }

    private void handle(int methodId, ServerCall call) throws Exception {
        MethodHandler handler = definition().lookup(methodId);
        if (handler == null) {
            throw new IllegalStateException("RapaceOperations defines no method with id "
                    + Integer.toUnsignedString(methodId) + ": DeferredOperations.METHODS is out of date");
        }
        handler.handle(call);
    }

    private Dispatcher definition() {
        Dispatcher dispatcher = this.defined;
        if (dispatcher == null) {
            synchronized (this) {
                dispatcher = this.defined;
                if (dispatcher == null) {
                    dispatcher = ServiceDefinition.of(RapaceOperations.class, this.implementation.get()).dispatcher();
                    this.defined = dispatcher;
                }
            }
        }
        return dispatcher;
    }
}
