package io.rapace.benchmarks.peers;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.CallOptions;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * The tiny call over gRPC-java (grpc-netty-shaded), unary, without protoc: a hand-built
 * {@code MethodDescriptor<byte[], byte[]>} with a byte-array marshaller and a hand-built
 * {@link ServerServiceDefinition}. Server in a child JVM ({@code directExecutor}: the handler runs on
 * the Netty event loop); the client makes blocking calls ({@link ClientCalls#blockingUnaryCall}),
 * reusing one 8-byte request array.
 *
 * <p>{@code --transport=tcp} (default): loopback TCP, 127.0.0.1, Netty's default transport (epoll
 * on Linux). {@code --transport=uds}: Netty epoll Unix-domain sockets on both sides, a socket file
 * under java.io.tmpdir, deleted at the end.
 *
 * <p>Run: {@code $JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED -cp rapace-benchmarks.jar
 * io.rapace.benchmarks.peers.GrpcBench [--transport=tcp|uds] [--calls=30000] [--warmup=15000]
 * [--idle-seconds=5] [--hist-out=FILE]}. The flag only silences JDK 25's warning about Netty loading
 * its epoll library; the child gets it too.
 */
public final class GrpcBench {

    static final String SERVICE = "rapace.bench.Calculator";
    /** Silences JDK 25's warning about Netty loading its epoll library; the child is started with it. */
    static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED");

    /**
     * Byte-array marshaller as lean as the protobuf one: its stream is {@link KnownLength} and
     * {@link Drainable} (so gRPC copies the bytes once, with no 8 KiB copy buffer), and parsing reads
     * exactly {@code available()} bytes (a plain {@code readAllBytes()} allocates 16 KiB a message).
     */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                int known = stream.available();
                if (known > 0) {
                    byte[] bytes = new byte[known];
                    if (stream.readNBytes(bytes, 0, known) == known && stream.read() < 0) {
                        return bytes;
                    }
                    throw new IOException("message longer or shorter than available() said");
                }
                return stream.readAllBytes();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** A message's bytes, drained straight into gRPC's framer. */
    private static final class BytesStream extends ByteArrayInputStream implements KnownLength, Drainable {

        BytesStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public synchronized int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    static final MethodDescriptor<byte[], byte[]> ADD = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Add"))
            .setRequestMarshaller(BYTES)
            .setResponseMarshaller(BYTES)
            .build();

    private GrpcBench() {
    }

    public static void main(String[] args) throws Exception {
        PeerHarness.Options options = PeerHarness.Options.parse(args, 30_000, 15_000, 5);
        String transport = options.get("transport", "tcp");
        String where;
        Path socket = null;
        switch (transport) {
            case "tcp" -> where = Integer.toString(freePort());
            case "uds" -> {
                socket = Path.of(System.getProperty("java.io.tmpdir"),
                        "rapace-peers-grpc-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".sock");
                where = socket.toString();
            }
            default -> throw new IllegalArgumentException("--transport=tcp|uds, not " + transport);
        }
        EventLoopGroup group = null;
        ManagedChannel channel = null;
        try (PeerHarness.Child child = PeerHarness.Child.spawn(ChildServer.class, JVM_FLAGS, transport,
                where)) {
            child.awaitReady();
            if (socket != null) {
                group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
                channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                        .eventLoopGroup(group).channelType(EpollDomainSocketChannel.class)
                        .usePlaintext().directExecutor().build();
            }
            else {
                channel = NettyChannelBuilder.forAddress(InetAddress.getLoopbackAddress().getHostAddress(),
                        Integer.parseInt(where)).usePlaintext().directExecutor().build();
            }
            Client client = new Client(channel);
            int first = client.add(1, 2);
            long startup = System.nanoTime() - child.launchedNanos();
            if (first != 3) {
                throw new IllegalStateException("first reply " + first);
            }
            PeerHarness.run("grpc-" + transport, options, child, startup, client);
        }
        finally {
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
            }
            if (socket != null) {
                Files.deleteIfExists(socket);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static final class Client implements PeerHarness.Call {

        private final ManagedChannel channel;
        private final byte[] request = new byte[8];

        Client(ManagedChannel channel) {
            this.channel = channel;
        }

        @Override
        public int add(int a, int b) {
            putInt(request, 0, a);
            putInt(request, 4, b);
            byte[] reply = ClientCalls.blockingUnaryCall(channel, ADD, CallOptions.DEFAULT, request);
            return getInt(reply, 0);
        }
    }

    static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    static int getInt(byte[] b, int at) {
        return (b[at] << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    /** The child: serves {@code Add} until its parent goes. Args: {@code tcp PORT} or {@code uds PATH}. */
    public static final class ChildServer {

        private ChildServer() {
        }

        public static void main(String[] args) throws Exception {
            PeerHarness.exitWhenParentGoes();
            ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                    .addMethod(ADD, ServerCalls.asyncUnaryCall((byte[] request, StreamObserver<byte[]> out) -> {
                        byte[] reply = new byte[4];
                        putInt(reply, 0, getInt(request, 0) + getInt(request, 4));
                        out.onNext(reply);
                        out.onCompleted();
                    }))
                    .build();
            NettyServerBuilder builder;
            if (args[0].equals("uds")) {
                Path path = Path.of(args[1]);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Files.deleteIfExists(path);
                    }
                    catch (IOException ignored) {
                        // the parent deletes it too
                    }
                }));
                EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
                EventLoopGroup worker = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
                SocketAddress address = new DomainSocketAddress(path.toString());
                builder = NettyServerBuilder.forAddress(address).channelType(EpollServerDomainSocketChannel.class)
                        .bossEventLoopGroup(boss).workerEventLoopGroup(worker);
            }
            else {
                builder = NettyServerBuilder.forAddress(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[1])));
            }
            Server server = builder.addService(service).directExecutor().build().start();
            PeerHarness.ready();
            server.awaitTermination();
        }
    }
}
