package io.rapace.docs.services;

import java.time.Duration;
import java.util.List;

import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.Services;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmTransport;

/** Serving several services on a session, and calling them through proxies. */
final class Dispatching {

    /** A second service. */
    interface Echo {

        String echo(String text);
    }

    private Dispatching() {
    }

    static RpcSession serve(ShmTransport transport) {
        Echo echoImpl = text -> text;
        // snippet: services-dispatcher
        Dispatcher dispatcher = Services.dispatcher(new CalculatorImpl(), echoImpl);
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults().withDispatcher(dispatcher));
        // end-snippet
        return session;
    }

    static List<Integer> call(RpcSession session) {
        // snippet: services-clients
        Calculator calculator = RapaceClients.create(Calculator.class, session);
        Calculator impatient = RapaceClients.create(Calculator.class, session,
                new ClientOptions(Duration.ofMillis(200)));

        int sum = calculator.add(2, 3);                          // blocking
        calculator.addAsync(2, 3).thenAccept(System.out::println);
        List<Integer> items = calculator.range(10).collectList().block();
        // end-snippet
        return items == null ? List.of(sum, impatient.add(1, 1)) : items;
    }
}
