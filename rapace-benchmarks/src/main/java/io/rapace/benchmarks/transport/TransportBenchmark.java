package io.rapace.benchmarks.transport;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.rapace.benchmarks.report.BenchResult;
import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.FrameHandler;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.jspecify.annotations.Nullable;

/**
 * Two-process figures of the shared-memory transport: this JVM is the host, a child JVM runs
 * {@link BenchmarkPeer}. Prints one-way and round-trip latency (p50/p99) for 16-byte and 4 KiB frames
 * (ping-pong, so no queueing) and throughput in frames/s and GB/s for 64 KiB frames.
 *
 * <p>One-way latency is the peer's receive time minus the host's send time, both
 * {@link System#nanoTime()}, which on Linux reads the system-wide monotonic clock.
 *
 * <p>Options: {@code --scale=F} multiplies every iteration count (default 1.0); {@code --label=NAME} prefixes
 * the names of the {@code RESULT} lines (default {@code transport}); {@code --hist-out=FILE} writes the
 * round-trip percentiles of 16-byte frames ({@link BenchResult#writeHistogram}). Bytes allocated per frame are
 * those of the sending and receiving thread (this one) only.
 *
 * <p>{@code --wake=false} turns the wake extension off (the host then writes flags 0, so the peer runs without
 * it too).
 */
public final class TransportBenchmark {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);
    private static final int CHANNEL = 1;

    private final ShmTransport host;
    private final byte[] buffer;
    private final ByteBuffer view;

    private String label = "transport";

    private @Nullable String histOut;

    private TransportBenchmark(ShmTransport host) {
        this.host = host;
        this.buffer = new byte[host.config().slotSize()];
        this.view = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Runs every scenario and prints the figures. */
    public static void main(String[] args) throws Exception {
        double scale = 1.0;
        boolean wake = true;
        for (String arg : args) {
            if (arg.equals("--wake=false")) {
                wake = false;
            }
            if (arg.startsWith("--scale=")) {
                scale = Double.parseDouble(arg.substring("--scale=".length()));
            }
        }
        Path dir = Files.isWritable(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path file = dir.resolve("rapace-bench-" + ProcessHandle.current().pid() + ".shm");
        Process peer = null;
        try (ShmTransport host = ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT,
                ShmOptions.defaults().withWakeExtension(wake))) {
            peer = startPeer(file);
            TransportBenchmark bench = new TransportBenchmark(host);
            bench.label = java.util.Objects.requireNonNull(BenchResult.option(args, "label", "transport"));
            bench.histOut = BenchResult.option(args, "hist-out", null);
            System.out.println(machine(file));
            bench.latency(16, (int) (50_000 * scale), (int) (200_000 * scale));
            // The peer has answered by now, so it has opened the segment and set its flag (if it runs the extension).
            System.out.println("wake extension " + (host.wakeExtensionActive() ? "in use" : "not in use"));
            bench.latency(4096, (int) (20_000 * scale), (int) (100_000 * scale));
            bench.throughput(65536, (int) (5_000 * scale), (int) (50_000 * scale));
            bench.idleCpu(Math.max(1, (int) Math.round(3 * scale)));
            host.send(CHANNEL, BenchCommand.QUIT, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[0], 0, 0, TIMEOUT);
            if (!peer.waitFor(30, TimeUnit.SECONDS)) {
                System.out.println("peer did not quit");
            }
        }
        finally {
            if (peer != null) {
                peer.destroyForcibly();
            }
            Files.deleteIfExists(file);
        }
    }

    private void latency(int size, int warmup, int iterations) {
        LatencySamples oneWay = new LatencySamples(iterations);
        LatencySamples roundTrip = new LatencySamples(iterations);
        EchoReader echo = new EchoReader();
        long allocStart = 0;
        long start = 0;
        for (int i = 0; i < warmup + iterations; i++) {
            if (i == warmup) {
                allocStart = BenchResult.threadAllocatedBytes();
                start = System.nanoTime();
            }
            long sent = System.nanoTime();
            view.putLong(0, sent);
            view.putLong(8, 0);
            host.send(CHANNEL, BenchCommand.ECHO, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer, 0, size, TIMEOUT);
            echo.done = false;
            while (!echo.done) {
                host.receive(echo, 1, TIMEOUT);
            }
            long back = System.nanoTime();
            if (i >= warmup) {
                oneWay.record(echo.peerReceived - sent);
                roundTrip.record(back - sent);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long allocated = BenchResult.threadAllocatedBytes() - allocStart;
        System.out.printf(Locale.ROOT, "%-6s one-way    p50 %8.2f us   p99 %8.2f us   (%d samples)%n", label(size),
                oneWay.percentileMicros(50), oneWay.percentileMicros(99), oneWay.count());
        System.out.printf(Locale.ROOT, "%-6s round-trip p50 %8.2f us   p99 %8.2f us   (%d samples)%n", label(size),
                roundTrip.percentileMicros(50), roundTrip.percentileMicros(99), roundTrip.count());
        long[] sorted = roundTrip.sorted();
        BenchResult.named(label + "-rt-" + label(size).replace(" ", "")).latencies(sorted)
                .callsPerSecond(iterations / seconds)
                .allocatedBytesPerCall(allocStart < 0 ? -1 : (double) allocated / iterations)
                .print();
        if (size == 16) {
            BenchResult.writeHistogram(histOut, label + "-rt-16B", sorted);
        }
    }

    private void throughput(int size, int warmup, int frames) {
        runSink(size, warmup);
        long start = System.nanoTime();
        long acknowledged = runSink(size, frames);
        long elapsed = System.nanoTime() - start;
        double seconds = elapsed / 1e9;
        System.out.printf(Locale.ROOT, "%-6s throughput %,12.0f frames/s   %6.2f GB/s   (%d frames in %.2f s)%n",
                label(size), frames / seconds, (double) frames * size / seconds / 1e9, acknowledged, seconds);
        BenchResult.named(label + "-stream-" + label(size).replace(" ", "")).callsPerSecond(frames / seconds)
                .gigabytesPerSecond((double) frames * size / seconds / 1e9).print();
    }

    /** CPU time a receive loop burns on an empty ring, over {@code seconds} of wall time. */
    private void idleCpu(int seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long start = System.nanoTime();
        while (System.nanoTime() - end < 0) {
            host.receive(frame -> { }, 1, end - System.nanoTime());
        }
        double cpuShare = (threads.getCurrentThreadCpuTime() - cpuStart) / (double) (System.nanoTime() - start);
        System.out.printf(Locale.ROOT, "idle   receive loop CPU %6.2f %% of one core   (%d s on an empty ring)%n",
                cpuShare * 100, seconds);
        BenchResult.named(label + "-idle-receive-loop").idleCpuPercent(cpuShare * 100).print();
    }

    private long runSink(int size, int frames) {
        for (int i = 0; i < frames; i++) {
            host.send(CHANNEL, BenchCommand.SINK, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer, 0, size, TIMEOUT);
        }
        host.send(CHANNEL, BenchCommand.SINK_END, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer, 0, 0, TIMEOUT);
        long[] count = {-1};
        while (count[0] < 0) {
            host.receive(frame -> count[0] = frame.payload().get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED
                    .withOrder(ByteOrder.LITTLE_ENDIAN), 0), 1, TIMEOUT);
        }
        if (count[0] != frames) {
            throw new IllegalStateException("peer counted " + count[0] + " frames, expected " + frames);
        }
        return count[0];
    }

    private static String label(int size) {
        return size >= 1024 ? (size / 1024) + " KiB" : size + " B";
    }

    private static Process startPeer(Path file) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                BenchmarkPeer.class.getName(), file.toString())).inheritIO().start();
    }

    private static String machine(Path file) throws IOException {
        String cpu = "unknown CPU";
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            cpu = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        String load = Files.isReadable(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).trim()
                : "n/a";
        return "rapace transport benchmark: JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs (" + cpu + "), load average " + load + ", segment " + file + " "
                + ShmConfig.PLUGIN_DEFAULT.describe();
    }

    /** Reads the host send time and the peer's receive time out of an echoed frame. */
    private final class EchoReader implements FrameHandler {

        private boolean done;
        private long peerReceived;

        @Override
        public void onFrame(Frame frame) {
            frame.copyPayload(buffer, 0);
            peerReceived = frame.payloadLength() >= 16 ? view.getLong(8) : 0;
            done = true;
        }
    }
}
