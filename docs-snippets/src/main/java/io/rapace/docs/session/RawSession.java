package io.rapace.docs.session;

import java.nio.file.Path;
import java.time.Duration;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import reactor.core.publisher.Flux;

/** A host session that serves an echo method and calls the peer. */
final class RawSession {

    private static final int ECHO = 1;

    private static final int LIST = 2;

    private RawSession() {
    }

    static Flux<byte[]> run(Path path, byte[] request) {
        // snippet: session-raw
        ShmTransport transport = ShmTransport.create(path, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults()
                .withDispatcher(methodId -> methodId == ECHO ? call -> call.respond(call.requestPayload()) : null));

        byte[] answer = session.call(ECHO, request, Duration.ofSeconds(2)).join();
        Flux<byte[]> items = session.callStreaming(LIST, request, null);   // sent on subscribe
        session.close(Duration.ofSeconds(5));
        // end-snippet
        return answer.length == 0 ? Flux.empty() : items;
    }
}
