package io.rapace.core.session;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A session's blocking handlers: a few pooled platform threads, a virtual thread per call beyond them. */
class HandlerThreadsTest {

    static final long PATIENCE_SECONDS = 30;

    private final HandlerThreads threads = new HandlerThreads("test-handler-");

    @AfterEach
    void stop() throws InterruptedException {
        this.threads.shutdownNow();
        assertThat(this.threads.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void callsOneAfterAnotherRunOnAFewPooledPlatformThreads() throws Exception {
        Set<Thread> platform = ConcurrentHashMap.newKeySet();
        AtomicInteger onVirtual = new AtomicInteger();
        for (int i = 0; i < 200; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            this.threads.execute(() -> {
                if (Thread.currentThread().isVirtual()) {
                    onVirtual.incrementAndGet();
                }
                else {
                    platform.add(Thread.currentThread());
                }
                ran.countDown();
            });
            assertThat(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(platform).as("pooled threads, reused").isNotEmpty().hasSizeLessThanOrEqualTo(HandlerThreads.POOLED)
                .allSatisfy(thread -> assertThat(thread.getName()).startsWith("test-handler-"));
        assertThat(onVirtual.get()).as("calls that found every pooled thread still finishing the last one")
                .isLessThan(200);
        assertThat(this.threads.pooledThreads()).isLessThanOrEqualTo(HandlerThreads.POOLED);
    }

    @Test
    void aCallThatFindsEveryPooledThreadBusyRunsAtOnceOnAVirtualThread() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        blockEveryPooledThread(release);

        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        this.threads.execute(() -> {
            ranOn.set(Thread.currentThread());
            ran.countDown();
        });

        assertThat(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("not held behind the slow handlers").isTrue();
        assertThat(ranOn.get().isVirtual()).isTrue();
        assertThat(ranOn.get().getName()).startsWith("test-handler-v-");
        release.countDown();
    }

    @Test
    void shutdownNowInterruptsPooledAndVirtualHandlers() throws Exception {
        int handlers = HandlerThreads.POOLED + 2;
        CountDownLatch started = new CountDownLatch(handlers);
        CountDownLatch interrupted = new CountDownLatch(handlers);
        for (int i = 0; i < handlers; i++) {
            this.threads.execute(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                }
                catch (InterruptedException ex) {
                    interrupted.countDown();
                }
            });
        }
        assertThat(started.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();

        List<Runnable> neverRan = this.threads.shutdownNow();

        assertThat(neverRan).isEmpty();
        assertThat(interrupted.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("every handler interrupted").isTrue();
        assertThat(this.threads.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(this.threads.isTerminated()).isTrue();
    }

    @Test
    void aCallAfterShutdownIsRefusedEvenWhenEveryPooledThreadIsBusy() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        blockEveryPooledThread(release);

        this.threads.shutdown();

        assertThatThrownBy(() -> this.threads.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(this.threads.isShutdown()).isTrue();
        release.countDown();
        assertThat(this.threads.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("drained").isTrue();
    }

    /** Runs as many handlers as there are pooled threads, each waiting for {@code release}; returns once all run. */
    private void blockEveryPooledThread(CountDownLatch release) throws InterruptedException {
        CountDownLatch blocked = new CountDownLatch(HandlerThreads.POOLED);
        for (int i = 0; i < HandlerThreads.POOLED; i++) {
            this.threads.execute(() -> {
                blocked.countDown();
                awaitQuietly(release);
            });
        }
        assertThat(blocked.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
