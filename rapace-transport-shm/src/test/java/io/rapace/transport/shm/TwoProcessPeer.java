package io.rapace.transport.shm;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plugin side of {@link TwoProcessTest}, run in a child JVM: opens the segment, sends
 * {@code count} frames and checks the {@code count} frames it receives. Prints {@code PEER OK} and exits
 * 0 on success; prints the failure and exits 1 otherwise.
 *
 * <p>Arguments: segment path, frame count.
 */
public final class TwoProcessPeer {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(60);

    private TwoProcessPeer() {
    }

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        long count = Long.parseLong(args[1]);
        int status = 1;
        try (ShmTransport plugin = ShmTransport.open(path, ShmOptions.defaults())) {
            Traffic traffic = new Traffic(plugin.config().slotSize());
            AtomicReference<Throwable> sendFailure = new AtomicReference<>();
            Thread sender = Thread.ofPlatform().name("peer-sender").start(() -> {
                try {
                    traffic.sendAll(plugin, 2, count, TIMEOUT);
                }
                catch (Throwable ex) {
                    sendFailure.set(ex);
                }
            });
            Traffic.Checker checker = traffic.new Checker();
            while (checker.received() < count) {
                if (plugin.receive(checker, 256, TIMEOUT) == 0) {
                    throw new AssertionError("no frame for 60 s after " + checker.received());
                }
            }
            sender.join();
            if (sendFailure.get() != null) {
                throw new AssertionError("sending failed", sendFailure.get());
            }
            System.out.println("PEER OK received=" + checker.received() + " sent=" + plugin.stats().framesSent()
                    + " invalid=" + plugin.stats().invalidFrames());
            status = plugin.stats().invalidFrames() == 0 ? 0 : 1;
        }
        catch (Throwable ex) {
            System.out.println("PEER FAILED: " + ex);
            ex.printStackTrace(System.out);
        }
        System.out.flush();
        System.exit(status);
    }
}
