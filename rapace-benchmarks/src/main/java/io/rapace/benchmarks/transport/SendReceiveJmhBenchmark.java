package io.rapace.benchmarks.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.Frame;
import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.FrameHandler;
import io.rapace.transport.shm.ShmConfig;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of the in-process hot path: one send (descriptor encode, slot allocation and copy when
 * larger than 16 bytes, enqueue) plus one poll (validation, handler, slot free, dequeue), host to plugin
 * in one thread on a real mapped file. Run with
 * {@code java -jar rapace-benchmarks/target/rapace-benchmarks.jar SendReceiveJmhBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SendReceiveJmhBenchmark {

    @Param({"16", "4096"})
    public int size;

    private Path file;
    private ShmTransport host;
    private ShmTransport plugin;
    private byte[] payload;
    private FrameHandler handler;

    /** Creates the segment and both ends. */
    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        file = Files.createTempFile("rapace-jmh", ".shm");
        host = ShmTransport.create(file, ShmConfig.PLUGIN_DEFAULT, ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
        payload = new byte[size];
        handler = (Frame frame) -> blackhole.consume(frame.payloadLength());
    }

    /** Closes both ends and deletes the file. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        plugin.close();
        host.close();
        Files.deleteIfExists(file);
    }

    /** One frame through the ring and back out. */
    @Benchmark
    public int sendThenPoll() {
        host.send(1, 1, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, size, 0);
        return plugin.poll(handler, 1);
    }
}
