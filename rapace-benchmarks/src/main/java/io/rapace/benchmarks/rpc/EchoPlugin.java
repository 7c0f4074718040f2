package io.rapace.benchmarks.rpc;

import java.nio.file.Path;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;

/**
 * The plugin side of {@link UnaryRoundTrip} in two-process mode: opens the segment named by its only
 * argument, answers {@link UnaryRoundTrip#ECHO} with the request, and exits when the host goes away.
 */
public final class EchoPlugin {

    private EchoPlugin() {
    }

    /** Runs until the session ends (host closed or died). */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: EchoPlugin <segment path>");
            System.exit(2);
        }
        ShmTransport transport = ShmTransport.open(Path.of(args[0]), ShmOptions.defaults());
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults()
                .withDispatcher(UnaryRoundTrip.echoDispatcher()));
        session.closeFuture().handle((ignored, failure) -> null).join();
    }
}
