package io.rapace.core.runtime;

import java.nio.file.Path;
import java.time.Duration;

import io.rapace.core.session.Dispatcher;
import io.rapace.core.session.RpcSession;
import io.rapace.transport.shm.ShmConfig;

/**
 * A bare host process for the host-death test: creates the segment given as its argument, starts a
 * session, prints {@code READY}, then {@code CONNECTED} once the plugin heartbeats, and waits to be killed.
 */
public final class HostMain {

    private HostMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConnectionSettings settings = ConnectionSettings.DEFAULTS.withLivenessTimeout(Duration.ofSeconds(1))
                .withHeartbeatInterval(Duration.ofMillis(100));
        RpcSession session = SegmentConnector.create(Path.of(args[0]), ShmConfig.PLUGIN_DEFAULT, settings,
                Dispatcher.none());
        System.out.println("READY");
        System.out.flush();
        while (session.transport().peerHeartbeatAgeNanos() < 0) {
            Thread.sleep(10);
        }
        System.out.println("CONNECTED");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10));
    }
}
