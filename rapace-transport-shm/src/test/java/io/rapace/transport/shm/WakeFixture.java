package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.ShmLayout;

/** What the wake-extension tests share: a small geometry, a patient timeout and a look at a ring's waiting word. */
final class WakeFixture {

    /** How long a send may wait, and a test for an answer: far beyond any healthy run. */
    static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    static final ShmConfig CONFIG = new ShmConfig(8, 1024, 8);

    static final ShmLayout LAYOUT = CONFIG.layout();

    private WakeFixture() {
    }

    /** Fails the test, naming the reason, when this JVM cannot make futex calls. */
    static void requireFutex() {
        assertThat(Futex.isAvailable()).as(Futex.unavailableReason()).isTrue();
    }

    /** The {@code consumer_waiting} word of the ring whose header is at {@code ringHeader}. */
    static int consumerWaiting(ShmTransport transport, long ringHeader) {
        return Mem.getIntAcquire(transport.segment(), ringHeader + RingLayout.CONSUMER_WAITING_OFFSET);
    }

    /** Until {@code transport} has gone to sleep in the kernel {@code sleeps} times in all. */
    static void awaitSleeps(ShmTransport transport, long sleeps) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                .until(() -> transport.futexSleeps() >= sleeps);
    }

    /** Until the plugin's {@code round}-th sleep has begun and its waiting word in ring A->B says so (host's view). */
    static void awaitPluginAsleep(ShmTransport host, ShmTransport plugin, int round) {
        awaitSleeps(plugin, round);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                .until(() -> consumerWaiting(host, LAYOUT.ringAToBHeader()) != 0);
    }

    /** Until the host's sleep has gone past {@code sleeps} and its waiting word in ring B->A says so. */
    static void awaitHostAsleep(ShmTransport host, long sleeps) {
        awaitSleeps(host, sleeps + 1);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1))
                .until(() -> consumerWaiting(host, LAYOUT.ringBToAHeader()) != 0);
    }

    /** Runs {@code task} on a daemon platform thread of its own; its result, or what it threw. */
    static <T> CompletableFuture<T> inBackground(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(task.call());
            }
            catch (Throwable ex) {
                result.completeExceptionally(ex);
            }
        });
        return result;
    }
}
