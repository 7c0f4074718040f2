package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static io.rapace.transport.shm.WakeFixture.CONFIG;
import static io.rapace.transport.shm.WakeFixture.TIMEOUT;
import static io.rapace.transport.shm.WakeFixture.inBackground;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.Test;

/**
 * A sender whose peer sleeps yields once before it wakes the peer when it answers the wake-up that ended its own
 * receive's sleep ({@link ProducerWake}), and wakes the peer all the same. Real mapped segment, one thread per
 * sleeper; assertions use the counters, never elapsed time (the window of recent wake-ups is widened, since a loaded
 * machine may take long between a wake-up and its answer).
 */
class YieldBeforeWakeTest extends FutexSegmentTest {

    private static final long WIDE_WINDOW = TimeUnit.MINUTES.toNanos(5);

    @Test
    void theAnswerToTheWakeThatEndedOurSleepYieldsOnceThenStillWakesThePeerAsleep() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("answer.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("answer.shm"), ShmOptions.defaults())) {
            plugin.yieldBeforeWakeWindow(WIDE_WINDOW);
            host.yieldBeforeWakeWindow(WIDE_WINDOW);
            CompletableFuture<Void> hostWoken = hostAsleepInAwaitFrames(host);
            // The plugin asleep in its receive; the host's request wakes it, and it answers from inside the receive.
            byte[] answer = {4, 2};
            CompletableFuture<Integer> served = inBackground(() -> plugin.receive(frame -> plugin.send(2, 7,
                    FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, answer, 0, answer.length, TIMEOUT), 1, TIMEOUT));
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
            assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            hostWoken.get(30, TimeUnit.SECONDS);
            assertThat(plugin.yieldsBeforeWake()).as("the answer yielded once").isEqualTo(1);
            assertThat(plugin.futexWakes()).as("and woke the host all the same").isEqualTo(1);
            assertThat(host.yieldsBeforeWake()).as("the request: the host's receive was never woken").isZero();
            assertThat(host.futexWakes()).isEqualTo(1);
            assertThat(received(host)).isEqualTo(answer);

            // A second frame to the sleeping host, without a wake-up of the plugin's since: woken, no yield.
            CompletableFuture<Void> again = hostAsleepInAwaitFrames(host);
            plugin.send(2, 8, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, answer, 0, answer.length, TIMEOUT);
            again.get(30, TimeUnit.SECONDS);
            assertThat(plugin.yieldsBeforeWake()).isEqualTo(1);
            assertThat(plugin.futexWakes()).isEqualTo(2);
            assertThat(received(host)).isEqualTo(answer);
        }
    }

    @Test
    void anAnswerLaterThanTheWindowWakesThePeerWithoutAYield() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("late.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("late.shm"), ShmOptions.defaults())) {
            plugin.yieldBeforeWakeWindow(0);
            CompletableFuture<Integer> served = inBackground(() -> plugin.receive(frame -> { }, 1, TIMEOUT));
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
            assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(1);
            CompletableFuture<Void> hostWoken = hostAsleepInAwaitFrames(host);
            plugin.send(2, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {3}, 0, 1, TIMEOUT);
            hostWoken.get(30, TimeUnit.SECONDS);
            assertThat(plugin.yieldsBeforeWake()).isZero();
            assertThat(plugin.futexWakes()).isEqualTo(1);
        }
    }

    /** Starts {@code host} waiting for frames without reading, as a session's idle loop does, once it sleeps. */
    private static CompletableFuture<Void> hostAsleepInAwaitFrames(ShmTransport host) {
        long sleeps = host.futexSleeps();
        CompletableFuture<Void> woken = inBackground(() -> {
            host.awaitFrames(TIMEOUT);
            return null;
        });
        WakeFixture.awaitHostAsleep(host, sleeps);
        return woken;
    }

    private static byte[] received(ShmTransport receiver) {
        AtomicReference<byte[]> got = new AtomicReference<>();
        assertThat(receiver.receive(frame -> got.set(frame.payloadBytes()), 1, TIMEOUT)).isEqualTo(1);
        return got.get();
    }
}
