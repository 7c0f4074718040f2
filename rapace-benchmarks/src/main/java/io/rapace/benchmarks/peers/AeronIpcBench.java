package io.rapace.benchmarks.peers;

import java.io.File;
import java.nio.ByteBuffer;
import java.util.List;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.IoUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The tiny call over Aeron IPC: this JVM runs an embedded media driver (threading mode SHARED, one
 * driver thread, fair on 2 cores) and the caller; a child JVM runs the echo server, subscribed to
 * {@code aeron:ipc} stream 1001 and answering on stream 1002 (exclusive publications both ways).
 *
 * <p>{@code --idle=busy}: {@link BusySpinIdleStrategy} in the caller's wait loops, the server's
 * poll loop and the driver. {@code --idle=backoff} (default): Aeron's default
 * {@link BackoffIdleStrategy} in all three. The driver lives in the parent, so the
 * {@code idle_cpu_pct} of the {@code RESULT} line (server child only) leaves it out; the human
 * line "this (client) process" shows the parent, driver included.
 *
 * <p>Run: {@code $JAVA_HOME/bin/java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
 * --add-opens java.base/sun.nio.ch=ALL-UNNAMED -cp rapace-benchmarks.jar
 * io.rapace.benchmarks.peers.AeronIpcBench --idle=busy|backoff [--calls=100000] [--warmup=50000]
 * [--idle-seconds=5] [--hist-out=FILE]}. The child gets the same two flags. The Aeron directory is
 * {@code /dev/shm/rapace-peers-aeron-PID-NANOS}, deleted at shutdown; a run also deletes those
 * that killed runs left behind.
 */
public final class AeronIpcBench {

    static final String CHANNEL = "aeron:ipc";
    static final int REQUESTS = 1001;
    static final int REPLIES = 1002;
    /** Flags Aeron/Agrona want on JDK 25; the child is started with them. */
    static final List<String> JVM_FLAGS = List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private AeronIpcBench() {
    }

    static IdleStrategy idle(String mode) {
        return switch (mode) {
            case "busy" -> new BusySpinIdleStrategy();
            case "backoff" -> new BackoffIdleStrategy();
            default -> throw new IllegalArgumentException("--idle=busy|backoff, not " + mode);
        };
    }

    public static void main(String[] args) throws Exception {
        PeerHarness.Options options = PeerHarness.Options.parse(args, 100_000, 50_000, 5);
        String mode = options.get("idle", "backoff");
        idle(mode);
        deleteStaleDirectories();
        File dir = new File("/dev/shm",
                "rapace-peers-aeron-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        Thread cleanup = new Thread(() -> IoUtil.delete(dir, true), "delete-aeron-dir");
        Runtime.getRuntime().addShutdownHook(cleanup);
        MediaDriver.Context driverContext = new MediaDriver.Context()
                .aeronDirectoryName(dir.getAbsolutePath())
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(idle(mode))
                .ipcTermBufferLength(64 * 1024);
        try (MediaDriver _ = MediaDriver.launch(driverContext);
                Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir.getAbsolutePath()));
                Subscription replies = aeron.addSubscription(CHANNEL, REPLIES);
                ExclusivePublication requests = aeron.addExclusivePublication(CHANNEL, REQUESTS);
                PeerHarness.Child child = PeerHarness.Child.spawn(Server.class, JVM_FLAGS, dir.getAbsolutePath(),
                        mode)) {
            child.awaitReady();
            Client client = new Client(requests, replies, idle(mode));
            int first = client.add(1, 2);
            long startup = System.nanoTime() - child.launchedNanos();
            if (first != 3) {
                throw new IllegalStateException("first reply " + first);
            }
            PeerHarness.run("aeron-ipc-" + mode, options, child, startup, client);
        }
        finally {
            IoUtil.delete(dir, true);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            catch (IllegalStateException ignored) {
                // shutting down already
            }
        }
    }

    /** Aeron directories of earlier runs whose process was killed before it could delete them. */
    private static void deleteStaleDirectories() {
        File[] entries = new File("/dev/shm").listFiles((d, name) -> name.startsWith("rapace-peers-aeron-"));
        for (File entry : entries == null ? new File[0] : entries) {
            String[] parts = entry.getName().split("-");
            try {
                if (ProcessHandle.of(Long.parseLong(parts[3])).isEmpty()) {
                    IoUtil.delete(entry, true);
                }
            }
            catch (RuntimeException ignored) {
                // not one of ours after all
            }
        }
    }

    private static final class Client implements PeerHarness.Call {

        private final ExclusivePublication requests;
        private final Subscription replies;
        private final IdleStrategy idle;
        private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        private final FragmentHandler onReply = (buffer, offset, length, header) -> {
            this.reply = buffer.getInt(offset);
            this.answered = true;
        };
        private int reply;
        private boolean answered;

        Client(ExclusivePublication requests, Subscription replies, IdleStrategy idle) {
            this.requests = requests;
            this.replies = replies;
            this.idle = idle;
        }

        @Override
        public int add(int a, int b) {
            request.putInt(0, a);
            request.putInt(4, b);
            offer(requests, request, 8, idle);
            answered = false;
            idle.reset();
            while (!answered) {
                idle.idle(replies.poll(onReply, 1));
            }
            return reply;
        }
    }

    static void offer(Publication publication, UnsafeBuffer buffer, int length, IdleStrategy idle) {
        idle.reset();
        long result;
        while ((result = publication.offer(buffer, 0, length)) < 0) {
            if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("publication " + Publication.errorString(result));
            }
            idle.idle();
        }
    }

    /** The child: answers {@code a + b} for every request until its parent goes. */
    public static final class Server {

        private Server() {
        }

        public static void main(String[] args) {
            PeerHarness.exitWhenParentGoes();
            IdleStrategy idle = idle(args[1]);
            IdleStrategy offerIdle = idle(args[1]);
            UnsafeBuffer reply = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
            try (Aeron aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(args[0]));
                    Subscription requests = aeron.addSubscription(CHANNEL, REQUESTS);
                    ExclusivePublication replies = aeron.addExclusivePublication(CHANNEL, REPLIES)) {
                FragmentHandler handler = (buffer, offset, length, header) -> {
                    reply.putInt(0, buffer.getInt(offset) + buffer.getInt(offset + 4));
                    offer(replies, reply, 4, offerIdle);
                };
                PeerHarness.ready();
                while (true) {
                    idle.idle(requests.poll(handler, 10));
                }
            }
        }
    }
}
