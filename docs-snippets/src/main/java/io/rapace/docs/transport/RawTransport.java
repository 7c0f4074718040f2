package io.rapace.docs.transport;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;

/** The two ends of a segment, frame by frame. */
final class RawTransport {

    private RawTransport() {
    }

    static void host(Path path, int methodId, byte[] payload) {
        // snippet: transport-host
        // Host (peer A): creates the file, initialises every header, starts its heartbeat.
        try (ShmTransport host = ShmTransport.create(path, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults())) {
            long msgId = host.send(1, methodId, FrameFlags.DATA | FrameFlags.EOS, DescriptorLayout.NO_DEADLINE,
                    payload, 0, payload.length, TimeUnit.SECONDS.toNanos(5));
            host.receive(frame -> handle(frame.payloadBytes()), 64, TimeUnit.SECONDS.toNanos(1));
            System.out.println("sent message " + msgId);
        }
        // end-snippet
    }

    static void plugin(Path path) {
        // snippet: transport-plugin
        // Plugin (peer B): waits for the file, reads the geometry from it.
        try (ShmTransport plugin = ShmTransport.open(path, ShmOptions.defaults())) {
            plugin.receive(frame -> handle(frame.payloadBytes()), 64, TimeUnit.SECONDS.toNanos(1));
        }
        // end-snippet
    }

    private static void handle(byte[] payload) {
        System.out.println(payload.length + " bytes");
    }
}
