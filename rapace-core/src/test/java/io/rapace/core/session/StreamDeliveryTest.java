package io.rapace.core.session;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A stream's delivery executor: every task runs, in order, one at a time, and a burst needs few threads. */
class StreamDeliveryTest {

    @Test
    void runsEveryTaskInOrderOneAtATimeAcrossLingerEndsAndRestarts() throws Exception {
        AtomicInteger threadsStarted = new AtomicInteger();
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            Executor counting = task -> {
                threadsStarted.incrementAndGet();
                virtualThreads.execute(task);
            };
            StreamDelivery delivery = new StreamDelivery(counting);
            int tasks = 20_000;
            AtomicInteger next = new AtomicInteger();
            AtomicInteger running = new AtomicInteger();
            AtomicInteger outOfOrder = new AtomicInteger();
            AtomicInteger overlapped = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(tasks);
            for (int i = 0; i < tasks; i++) {
                int expected = i;
                delivery.execute(() -> {
                    if (running.incrementAndGet() != 1) {
                        overlapped.incrementAndGet();
                    }
                    if (next.getAndIncrement() != expected) {
                        outOfOrder.incrementAndGet();
                    }
                    running.decrementAndGet();
                    done.countDown();
                });
                if (i % 1000 == 999) {
                    // A pause longer than the linger: the drain thread ends, the next task starts a new one (the
                    // race between its end and a new task is what this exercises).
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(StreamDelivery.LINGER_MICROS * 20));
                }
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(outOfOrder).hasValue(0);
            assertThat(overlapped).hasValue(0);
            assertThat(threadsStarted.get()).isPositive().isLessThan(tasks);
        }
    }
}
