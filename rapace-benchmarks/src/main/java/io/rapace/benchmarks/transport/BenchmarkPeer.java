package io.rapace.benchmarks.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.FrameHandler;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The plugin side of {@link TransportBenchmark}, started by it in a child JVM: opens the segment and
 * serves {@link BenchCommand}s until told to quit. Argument: the segment path.
 */
public final class BenchmarkPeer implements FrameHandler {

    private static final long SEND_TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    private final ShmTransport transport;
    private final byte[] buffer;
    private final ByteBuffer view;
    private long sunk;
    private boolean quit;

    private BenchmarkPeer(ShmTransport transport) {
        this.transport = transport;
        this.buffer = new byte[transport.config().slotSize()];
        this.view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Entry point of the child JVM. */
    public static void main(String[] args) {
        try (ShmTransport transport = ShmTransport.open(Path.of(args[0]), ShmOptions.defaults())) {
            BenchmarkPeer peer = new BenchmarkPeer(transport);
            while (!peer.quit) {
                transport.receive(peer, 64, TimeUnit.SECONDS.toNanos(1));
            }
        }
    }

    @Override
    public void onFrame(Frame frame) {
        switch (frame.methodId()) {
            case BenchCommand.ECHO -> {
                long received = System.nanoTime();
                int length = frame.payloadLength();
                frame.copyPayload(buffer, 0);
                if (length >= 16) {
                    view.putLong(8, received);
                }
                transport.send(frame.channelId(), BenchCommand.ECHO, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer,
                        0, length, SEND_TIMEOUT);
            }
            case BenchCommand.SINK -> {
                frame.copyPayload(buffer, 0);
                sunk++;
            }
            case BenchCommand.SINK_END -> {
                view.putLong(0, sunk);
                sunk = 0;
                transport.send(frame.channelId(), BenchCommand.SINK_END, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE,
                        buffer, 0, Long.BYTES, SEND_TIMEOUT);
            }
            case BenchCommand.QUIT -> quit = true;
            default -> throw new IllegalStateException("unknown benchmark command " + frame.methodId());
        }
    }
}
