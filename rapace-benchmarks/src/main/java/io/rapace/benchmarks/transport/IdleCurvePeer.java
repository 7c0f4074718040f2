package io.rapace.benchmarks.transport;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;

/**
 * The child of {@link IdleCurve}: runs a session-like receive loop on its main thread while a second
 * thread waits 1 s, sends 3000 warm-up frames 1 ms apart, then {@code rounds + 1} times sleeps {@code idle} seconds and sends one frame with
 * its {@link System#nanoTime()}; then sends QUIT and prints {@code PEER CPU x} (its own idle CPU as
 * % of one core, measured over the idle periods). Arguments: path, idle seconds, rounds.
 */
public final class IdleCurvePeer {

    static final int STAMP = 1;
    static final int QUIT = 2;
    static final int WARM = 3;

    /** Warm-up frames, 1 ms apart, so that the receive, sleep and wake paths are compiled before measuring. */
    private static final int WARM_UP_FRAMES = 3000;

    private IdleCurvePeer() {
    }

    /** Entry point of the child JVM. */
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        long idleMillis = TimeUnit.SECONDS.toMillis(Long.parseLong(args[1]));
        int rounds = Integer.parseInt(args[2]);
        try (ShmTransport plugin = ShmTransport.open(path, ShmOptions.defaults())) {
            long[] cpu = new long[2];
            Thread sender = Thread.ofPlatform().name("idle-curve-sender").start(() -> {
                try {
                    byte[] payload = new byte[16];
                    ByteBuffer view = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
                    Thread.sleep(1000);
                    for (int i = 0; i < WARM_UP_FRAMES; i++) {
                        plugin.send(2, WARM, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length,
                                TimeUnit.SECONDS.toNanos(5));
                        Thread.sleep(1);
                    }
                    long cpuStart = 0;
                    for (int i = 0; i <= rounds; i++) {
                        Thread.sleep(idleMillis);
                        if (i == 1) {
                            cpuStart = IdleCurve.processCpuNanos();
                        }
                        view.putLong(0, System.nanoTime());
                        plugin.send(2, STAMP, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length,
                                TimeUnit.SECONDS.toNanos(5));
                    }
                    cpu[0] = IdleCurve.processCpuNanos() - cpuStart;
                    cpu[1] = Math.max(1, rounds - 1) * TimeUnit.MILLISECONDS.toNanos(idleMillis);
                    plugin.send(2, QUIT, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length,
                            TimeUnit.SECONDS.toNanos(5));
                }
                catch (Exception ex) {
                    ex.printStackTrace(System.out);
                }
            });
            while (sender.isAlive()) {
                plugin.receive(frame -> { }, 64, TimeUnit.MILLISECONDS.toNanos(50));
            }
            System.out.printf(java.util.Locale.ROOT, "PEER CPU %.3f (ext %s)%n", 100.0 * cpu[0] / cpu[1],
                    plugin.wakeExtensionActive() ? "on" : "off");
        }
    }
}
