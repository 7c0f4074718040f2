package io.rapace.docs.services;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.service.ClientOptions;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.Services;
import io.rapace.core.service.SessionSource;
import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmTransport;

/** Serving several services on a session, and calling them through proxies over each kind of session source. */
final class Dispatching {

    /** A second service. */
    interface Echo {

        String echo(String text);
    }

    private Dispatching() {
    }

    // CalculatorImpl sits beside Calculator in one file, as the document shows them together.
    @SuppressWarnings("auxiliaryclass")
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

    static List<Calculator> sources(RpcSession session, Supplier<RpcSession> running, Process plugin) {
        // snippet: services-session-sources
        ClientOptions options = ClientOptions.defaults();
        Calculator pinned = RapaceClients.create(Calculator.class, SessionSource.of(session), options);
        Calculator current = RapaceClients.create(Calculator.class, SessionSource.perCall(running), options);
        Calculator guarded = RapaceClients.create(Calculator.class, SessionSource.guarded(session,
                () -> plugin.isAlive() ? null : new RapaceException(ErrorCode.PEER_DIED, "the plugin exited")), options);
        // end-snippet
        return List.of(pinned, current, guarded);
    }
}
