package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing a transport while other threads are in the middle of sending and receiving on it: every
 * such thread ends with {@link TransportClosedException}, never with a raw access error or a crash.
 */
class CloseRaceTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    Path dir;

    @RepeatedTest(5)
    void closeUnderTrafficEndsEveryCallerWithTransportClosed() throws Exception {
        closeUnderTraffic(3000, 2000);
    }

    /**
     * Inline sends (16 bytes or fewer) do not register with the transport's lifecycle: they touch the mapping only
     * under the sender lock, which the close takes once it set the closed flag. Two senders per side race for it.
     */
    @RepeatedTest(5)
    void closeUnderInlineTrafficEndsEveryCallerWithTransportClosed() throws Exception {
        closeUnderTraffic(8, DescriptorLayout.INLINE_CAPACITY);
    }

    private void closeUnderTraffic(int pluginPayload, int hostPayload) throws Exception {
        Path file = dir.resolve("race.shm");
        ShmTransport host = ShmTransport.create(file, new ShmConfig(16, 4096, 8), ShmOptions.defaults());
        ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults());
        try {
            AtomicLong pluginReceived = new AtomicLong();
            AtomicLong hostReceived = new AtomicLong();
            CompletableFuture<Throwable> pluginSender = run(() -> {
                byte[] payload = new byte[pluginPayload];
                while (true) {
                    plugin.send(2, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length, TIMEOUT);
                }
            });
            CompletableFuture<Throwable> pluginSecondSender = run(() -> {
                byte[] payload = new byte[pluginPayload];
                while (true) {
                    plugin.send(3, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length, TIMEOUT);
                }
            });
            CompletableFuture<Throwable> pluginReceiver = run(() -> {
                while (true) {
                    plugin.receive(frame -> pluginReceived.addAndGet(frame.payloadBytes().length), 16, TIMEOUT);
                }
            });
            CompletableFuture<Throwable> hostSender = run(() -> {
                byte[] payload = new byte[hostPayload];
                while (true) {
                    host.send(1, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length, TIMEOUT);
                }
            });
            CompletableFuture<Throwable> hostSecondSender = run(() -> {
                byte[] payload = new byte[hostPayload];
                while (true) {
                    host.send(4, 0, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length, TIMEOUT);
                }
            });
            CompletableFuture<Throwable> hostReceiver = run(() -> {
                while (true) {
                    host.receive(frame -> hostReceived.incrementAndGet(), 16, TIMEOUT);
                }
            });
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> pluginReceived.get() > 100 * hostPayload && hostReceived.get() > 100);
            plugin.close();

            assertThat(pluginSender.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
            assertThat(pluginSecondSender.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
            assertThat(pluginReceiver.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
            assertThat(plugin.isClosed()).isTrue();
            host.close();
            assertThat(hostSender.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
            assertThat(hostSecondSender.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
            assertThat(hostReceiver.get(30, TimeUnit.SECONDS)).isInstanceOf(TransportClosedException.class);
        }
        finally {
            plugin.close();
            host.close();
        }
    }

    /** Runs {@code body} until it throws; completes with what it threw. */
    private static CompletableFuture<Throwable> run(Body body) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                body.run();
                outcome.complete(new AssertionError("body returned"));
            }
            catch (Throwable ex) {
                outcome.complete(ex);
            }
        });
        return outcome;
    }

    @FunctionalInterface
    private interface Body {
        void run() throws Exception;
    }
}
