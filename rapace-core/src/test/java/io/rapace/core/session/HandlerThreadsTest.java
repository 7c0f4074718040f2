package io.rapace.core.session;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A session's blocking handlers: a few pooled platform threads, a virtual thread per call beyond them. */
class HandlerThreadsTest {

    static final long PATIENCE_SECONDS = 30;

    static final int HAND_OFFS = 20_000;

    /**
     * Nothing, with 8 to spare. A {@code SynchronousQueue}'s node per wait (32 bytes), a task per hand-off or a
     * thread per hand-off breaks it.
     */
    static final long BUDGET_BYTES_PER_HAND_OFF = 8;

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

    @Test
    void aHandOffToAWaitingPooledThreadAllocatesNothing() {
        AtomicInteger ran = new AtomicInteger();
        Runnable task = ran::incrementAndGet;  // one task for every hand-off, as a reused call has
        handOffOneAtATime(task, ran, HAND_OFFS);  // starts the thread; class loading, compilation

        long perHandOff = ThreadAllocation.othersBytesPerOperation(HAND_OFFS, () -> handOffOneAtATime(task, ran, HAND_OFFS));

        assertThat(this.threads.pooledThreads()).as("one pooled thread did it all").isEqualTo(1);
        assertThat(perHandOff).as("bytes allocated per hand-off by every thread but the handing one")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_HAND_OFF);
    }

    @Test
    void aParkedPooledThreadIsWokenForItsTaskAndEndsOnShutdown() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Runnable task = ran::incrementAndGet;
        for (int i = 1; i <= 20; i++) {
            soon().until(() -> this.threads.parkedThreads() == 1 || this.threads.pooledThreads() == 0);
            this.threads.execute(task);
            int expected = i;
            soon().until(() -> ran.get() == expected);
        }
        soon().until(() -> this.threads.parkedThreads() == 1);

        this.threads.shutdown();

        assertThat(this.threads.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the parked thread ended").isTrue();
        assertThat(this.threads.pooledThreads()).isZero();
        assertThatThrownBy(() -> this.threads.execute(task)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aHandlerThatLeavesItsThreadInterruptedLeavesTheNextHandlerUninterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        this.threads.execute(() -> {
            started.countDown();
            Thread.currentThread().interrupt();  // as a handler that caught an InterruptedException and restored it
        });
        assertThat(started.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        soon().until(() -> this.threads.waitingThreads() == 1);

        AtomicReference<Boolean> interrupted = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        this.threads.execute(() -> {
            interrupted.set(Thread.currentThread().isInterrupted());
            ran.countDown();
        });

        assertThat(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(interrupted.get()).isFalse();
        assertThat(this.threads.pooledThreads()).isEqualTo(1);
    }

    @Test
    void anIdlePooledThreadEndsAfterItsKeepAliveAndTheNextCallStartsAnother() throws Exception {
        HandlerThreads brief = new HandlerThreads("brief-handler-", TimeUnit.MILLISECONDS.toNanos(50));
        try {
            Thread first = threadThatRuns(brief);

            soon().until(() -> brief.pooledThreads() == 0 && !first.isAlive());

            Thread second = threadThatRuns(brief);
            assertThat(second).isNotSameAs(first);
            assertThat(second.isVirtual()).as("a pooled thread again").isFalse();
        }
        finally {
            brief.shutdownNow();
            assertThat(brief.awaitTermination(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void tasksHandedOffByManyThreadsAtOnceEachRunExactlyOnce() throws Exception {
        int handers = 4;
        int each = 5_000;
        AtomicIntegerArray runs = new AtomicIntegerArray(handers * each);
        CountDownLatch allRan = new CountDownLatch(handers * each);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int h = 0; h < handers; h++) {
            int base = h * each;
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < each; i++) {
                    int task = base + i;
                    this.threads.execute(() -> {
                        runs.incrementAndGet(task);
                        allRan.countDown();
                    });
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(PATIENCE_SECONDS));
        }

        assertThat(allRan.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("every task ran").isTrue();
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of task %d", i).isEqualTo(1);
        }
        assertThat(this.threads.pooledThreads()).isLessThanOrEqualTo(HandlerThreads.POOLED);
    }

    /** The thread on which {@code threads} runs a task given now. */
    private static Thread threadThatRuns(HandlerThreads threads) throws InterruptedException {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        threads.execute(() -> {
            ranOn.set(Thread.currentThread());
            ran.countDown();
        });
        assertThat(ran.await(PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
        return ranOn.get();
    }

    /** Awaits a condition that holds within a moment: looked at every millisecond. */
    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(PATIENCE_SECONDS)).pollInterval(Duration.ofMillis(1));
    }

    /**
     * Hands {@code task} to the pool {@code times} times, each once the last ran and its thread waits again, so that
     * every hand-off goes to a waiting pooled thread; allocates nothing on this thread.
     */
    private void handOffOneAtATime(Runnable task, AtomicInteger ran, int times) {
        for (int i = 0; i < times; i++) {
            int before = ran.get();
            while (this.threads.pooledThreads() > 0 && this.threads.waitingThreads() == 0) {
                Thread.onSpinWait();
            }
            this.threads.execute(task);
            while (ran.get() == before) {
                Thread.onSpinWait();
            }
        }
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
