package io.rapace.benchmarks.rpc;

import java.nio.file.Path;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
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
        if (args.length < 1 || args.length > 3) {
            System.err.println("usage: EchoPlugin <segment path> [yield window in µs, -1 = default] [inline: true|false]");
            System.exit(2);
        }
        ShmTransport transport = ShmTransport.open(Path.of(args[0]),
                UnaryRoundTrip.shmOptions(args.length > 1 ? Integer.parseInt(args[1]) : -1));
        RpcSession session = RpcSession.start(transport, SessionOptions.defaults()
                .withDispatcher(UnaryRoundTrip.echoDispatcher(args.length > 2 && Boolean.parseBoolean(args[2]))));
        session.closeFuture().handle((ignored, failure) -> null).join();
    }
}
