package io.rapace.benchmarks.peers;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tiny call over a JDK Unix-domain socket: blocking {@link SocketChannel}s, an echo server in a
 * child JVM that reads two ints and writes their sum. Direct buffers on both sides, so the JDK
 * copies nothing through its temporary-buffer cache.
 *
 * <p>Run: {@code $JAVA_HOME/bin/java -cp rapace-benchmarks.jar io.rapace.benchmarks.peers.UdsBench
 * [--calls=200000] [--warmup=50000] [--idle-seconds=5] [--hist-out=FILE]}. No JVM flags needed.
 */
public final class UdsBench {

    private UdsBench() {
    }

    public static void main(String[] args) throws Exception {
        PeerHarness.Options options = PeerHarness.Options.parse(args, 200_000, 50_000, 5);
        Path socket = Path.of(System.getProperty("java.io.tmpdir"),
                "rapace-peers-uds-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".sock");
        try (PeerHarness.Child child = PeerHarness.Child.spawn(Server.class, List.of(), socket.toString())) {
            child.awaitReady();
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                Client client = new Client(channel);
                int first = client.add(1, 2);
                long startup = System.nanoTime() - child.launchedNanos();
                if (first != 3) {
                    throw new IllegalStateException("first reply " + first);
                }
                PeerHarness.run("uds", options, child, startup, client);
            }
        }
        finally {
            Files.deleteIfExists(socket);
        }
    }

    private static final class Client implements PeerHarness.Call {

        private final SocketChannel channel;
        private final ByteBuffer request = ByteBuffer.allocateDirect(8);
        private final ByteBuffer reply = ByteBuffer.allocateDirect(4);

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public int add(int a, int b) throws IOException {
            request.clear();
            request.putInt(a).putInt(b).flip();
            while (request.hasRemaining()) {
                channel.write(request);
            }
            reply.clear();
            readFully(channel, reply);
            return reply.getInt(0);
        }
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new EOFException();
            }
        }
    }

    /** The child: accepts one connection and answers {@code a + b} until it closes. */
    public static final class Server {

        private Server() {
        }

        public static void main(String[] args) throws IOException {
            PeerHarness.exitWhenParentGoes();
            Path path = Path.of(args[0]);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(path);
                }
                catch (IOException ignored) {
                    // the parent deletes it too
                }
            }));
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(path));
                PeerHarness.ready();
                try (SocketChannel channel = server.accept()) {
                    ByteBuffer request = ByteBuffer.allocateDirect(8);
                    ByteBuffer reply = ByteBuffer.allocateDirect(4);
                    while (true) {
                        request.clear();
                        readFully(channel, request);
                        reply.clear();
                        reply.putInt(0, request.getInt(0) + request.getInt(4));
                        while (reply.hasRemaining()) {
                            channel.write(reply);
                        }
                    }
                }
                catch (EOFException done) {
                    // client closed
                }
            }
        }
    }
}
