package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static io.rapace.transport.shm.WakeFixture.CONFIG;
import static io.rapace.transport.shm.WakeFixture.LAYOUT;
import static io.rapace.transport.shm.WakeFixture.TIMEOUT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;
import org.junit.jupiter.api.Test;

/**
 * {@link ShmTransport#awaitFrames}: a thread sleeps in the kernel (parks, without the wake extension) until frames come
 * while another thread polls, between two transports on one real mapped file. Waits are for the futex counters and the waiting word, never
 * for elapsed time.
 */
class AwaitFramesTest extends FutexSegmentTest {

    private static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(60);

    @Test
    void aThreadAwaitingFramesLeavesThemToAnotherThreadThatPollsAndWakesWhenOneIsPublished() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("await.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("await.shm"), ShmOptions.defaults())) {
            for (int round = 1; round <= 3; round++) {
                CompletableFuture<Void> awaited = awaitInBackground(plugin);
                WakeFixture.awaitPluginAsleep(host, plugin, round);
                // The sleeper is no consumer: another thread polls meanwhile (a consumer that slept in receive would
                // make this poll fail: one consumer at a time).
                List<Integer> polled = new ArrayList<>();
                assertThat(plugin.poll(frame -> polled.add(frame.methodId()), 8)).isZero();
                host.send(1, 200 + round, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
                awaited.get(30, TimeUnit.SECONDS);
                // Woken by the frame, which the sleeper left in the ring for the polling thread.
                assertThat(plugin.lastFutexSleepResult()).isIn(Futex.WOKEN, Futex.MISMATCH);
                assertThat(plugin.poll(frame -> polled.add(frame.methodId()), 8)).isOne();
                assertThat(polled).containsExactly(200 + round);
            }
            assertThat(host.futexWakes()).as("the sender woke the thread awaiting frames").isPositive();
            assertThat(consumerWaiting(host)).isZero();
            assertThat(plugin.stats().framesReceived()).isEqualTo(3);
        }
    }

    @Test
    void framesAlreadyWaitingMakeItReturnAtOnceWithoutSleeping() {
        try (ShmTransport host = ShmTransport.create(dir.resolve("waiting.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("waiting.shm"), ShmOptions.defaults())) {
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
            plugin.awaitFrames(LONG_WAIT);  // at once: a 60 s wait would fail the test by its timeout
            assertThat(plugin.futexSleeps()).isZero();
            assertThat(plugin.poll(frame -> { }, 8)).isOne();
        }
    }

    @Test
    void wakeSleepingReceiveAndCloseEndTheWait() throws Exception {
        try (ShmTransport _ = ShmTransport.create(dir.resolve("end.shm"), CONFIG, ShmOptions.defaults())) {
            ShmTransport plugin = ShmTransport.open(dir.resolve("end.shm"), ShmOptions.defaults());
            CompletableFuture<Void> nudged = awaitInBackground(plugin);
            WakeFixture.awaitSleeps(plugin, 1);
            assertThat(plugin.wakeSleepingReceive()).isTrue();
            nudged.get(30, TimeUnit.SECONDS);

            CompletableFuture<Void> closed = awaitInBackground(plugin);
            WakeFixture.awaitSleeps(plugin, 2);
            plugin.close();
            assertThat(closed).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                    .withCauseInstanceOf(TransportClosedException.class);
            assertThat(plugin.lastFutexSleepResult()).isIn(Futex.WOKEN, Futex.MISMATCH);
            assertThatThrownBy(() -> plugin.awaitFrames(LONG_WAIT)).isInstanceOf(TransportClosedException.class);
        }
    }

    @Test
    void aPeerMarkedGoneWakesTheWaitWhichThenReportsItsDeath() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("gone.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("gone.shm"), ShmOptions.defaults())) {
            CompletableFuture<Void> awaited = awaitInBackground(plugin);
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            plugin.markPeerGone("the host process exited (test)");
            assertThat(awaited).failsWithin(30, TimeUnit.SECONDS).withThrowableThat()
                    .withCauseInstanceOf(PeerDiedException.class)
                    .withMessageContaining("the host process exited (test)");
        }
    }

    @Test
    void aSecondSleeperIsRefusedWithAClearError() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("two.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("two.shm"), ShmOptions.defaults())) {
            CompletableFuture<Void> first = awaitInBackground(plugin);
            WakeFixture.awaitPluginAsleep(host, plugin, 1);
            assertThatThrownBy(() -> plugin.awaitFrames(LONG_WAIT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("another thread already sleeps on this ring");
            // The first sleeper is unharmed and still woken by a frame.
            host.send(1, 9, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
            first.get(30, TimeUnit.SECONDS);
            assertThat(plugin.poll(frame -> { }, 8)).isOne();
        }
    }

    @Test
    void withoutTheExtensionItParksUntilAFrameComesOrANudgeAndTouchesNoExtensionWord() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("off.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("off.shm"),
                        ShmOptions.defaults().withWakeExtension(false))) {
            assertThat(plugin.wakeExtensionActive()).isFalse();
            // A frame ends the wait; the waiter leaves it in the ring for the polling thread.
            CompletableFuture<Void> awaited = awaitInBackground(plugin);
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, TIMEOUT);
            awaited.get(30, TimeUnit.SECONDS);
            assertThat(plugin.poll(frame -> { }, 8)).isOne();
            // A nudge ends it too, once the waiter is parked (a nudge finds nobody before that).
            CompletableFuture<Void> nudged = awaitInBackground(plugin);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(plugin::wakeSleepingReceive);
            nudged.get(30, TimeUnit.SECONDS);
            assertThat(plugin.futexSleeps()).isZero();
            assertThat(host.futexSleeps()).isZero();
            assertThat(consumerWaiting(host)).isZero();
        }
    }

    @Test
    void withoutTheExtensionANudgeCutsAParkedReceiveShort() throws Exception {
        try (ShmTransport host = ShmTransport.create(dir.resolve("park.shm"), CONFIG, ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(dir.resolve("park.shm"),
                        ShmOptions.defaults().withWakeExtension(false))) {
            CompletableFuture<Integer> received = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    received.complete(plugin.receive(frame -> { }, 8, LONG_WAIT));
                }
                catch (Throwable ex) {
                    received.completeExceptionally(ex);
                }
            });
            // True once the receive parks (after its spin and yield rounds): it then returns at once, with nothing.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                    .until(plugin::wakeSleepingReceive);
            assertThat(received.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(plugin.futexSleeps()).isZero();
            assertThat(host.futexSleeps()).isZero();
        }
    }

    private static CompletableFuture<Void> awaitInBackground(ShmTransport transport) {
        return WakeFixture.inBackground(() -> {
            transport.awaitFrames(LONG_WAIT);
            return null;
        });
    }


    /** The plugin's waiting word: ring A->B, which the plugin consumes. */
    private static int consumerWaiting(ShmTransport host) {
        return WakeFixture.consumerWaiting(host, LAYOUT.ringAToBHeader());
    }
}
