package io.rapace.core.session;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.transport.shm.BusySpinIdleStrategy;
import io.rapace.transport.shm.ShmOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Blocking callers read the ring themselves (leader/follower) without losing anybody else's frames. */
class ReceiveRoleTest {

    static final int ECHO = 301;

    static final int SLOW_ECHO = 302;

    static final int CALL_HOST = 303;

    static final int ECHO_AFTER_1MS = 304;

    static final int COUNT_TO = 305;

    @TempDir
    Path dir;

    SessionPair pair;

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("role.shm"));
        this.pair.pluginHandlers.put(ECHO, InlineSessionTest.nonBlocking(call -> call.respond(call.requestPayload())));
        this.pair.pluginHandlers.put(SLOW_ECHO, call -> {
            Thread.sleep(2);
            call.respond(call.requestPayload());
        });
        this.pair.pluginHandlers.put(ECHO_AFTER_1MS, call -> {
            Thread.sleep(1);
            call.respond(call.requestPayload());
        });
        // A blocking plugin handler that calls the host while host callers lead: the host must still serve it.
        this.pair.pluginHandlers.put(CALL_HOST, call -> call.respond(
                this.pair.plugin.callBlocking(ECHO, call.requestPayload(), Duration.ofSeconds(30))));
        this.pair.pluginHandlers.put(COUNT_TO, call -> {
            int count = ByteBuffer.wrap(call.requestPayload()).getInt();
            for (int i = 0; i < count; i++) {
                call.sendItem(bytes(i));
            }
            call.complete();
        });
        this.pair.hostHandlers.put(ECHO, InlineSessionTest.nonBlocking(call -> call.respond(call.requestPayload())));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void sequentialCallersReadTheirOwnAnswers() {
        // The first call may find the receive loop asleep holding the ring, and on a loaded machine an answer may
        // come later than a caller reads for it; but callers must lead some of the time.
        for (int i = 0; i < 20_000 && this.pair.host.answersReadByTheirCallers() < 10; i++) {
            assertThat(this.pair.host.callBlocking(ECHO, bytes(i), Duration.ofSeconds(30))).isEqualTo(bytes(i));
        }
        assertThat(this.pair.host.answersReadByTheirCallers()).isPositive();
    }

    @Test
    void aCallerAfterAnIdlePeriodTakesTheRingFromTheLoopAsleepInTheKernel() throws Exception {
        // After an idle period the receive loop holds the ring in a receive asleep in the kernel (wake extension).
        // A caller wakes it and reads its answer itself instead of waiting for the loop to wake on the answer and
        // then wake the caller. The answer comes 1 ms late, so that it arrives after the loop has let go; a round
        // may still miss on a loaded machine (the loop's own wake-up is late), so some of 20 rounds must lead.
        assertThat(this.pair.host.callBlocking(ECHO, bytes(-1), Duration.ofSeconds(30))).isEqualTo(bytes(-1));
        int selfReadAfterIdle = 0;
        for (int round = 0; round < 20 && selfReadAfterIdle < 3; round++) {
            Thread.sleep(30);  // idle: no caller for 2 ms hands the ring to the loop, which then sleeps
            long before = this.pair.host.answersReadByTheirCallers();
            assertThat(this.pair.host.callBlocking(ECHO_AFTER_1MS, bytes(round), Duration.ofSeconds(30)))
                    .isEqualTo(bytes(round));
            if (this.pair.host.answersReadByTheirCallers() > before) {
                selfReadAfterIdle++;
            }
        }
        assertThat(selfReadAfterIdle).isPositive();
    }

    @Test
    void aCallerWhoseRequestWokeThePeersSleepingLoopYieldsForItsAnswerInsteadOfSpinning() throws Exception {
        // Idle for 200 ms, the plugin's loop sleeps in the kernel: the request wakes it (the host's futexWakes moves), and
        // the caller that then leads yields after its first empty poll instead of spinning (ReceiveRole.peerJustWoken):
        // on a 2-core machine the woken thread is put on the caller's own core, where the spin only held it off. A lead
        // without such a wake spins as before: back-to-back calls find the plugin's loop awake and wake nobody.
        assertThat(this.pair.host.callBlocking(ECHO, bytes(-1), Duration.ofSeconds(30))).isEqualTo(bytes(-1));
        long wakes = this.pair.host.transport().futexWakes();
        long leads = this.pair.host.leadsAfterPeerWake();
        for (int round = 0; round < 5; round++) {
            Thread.sleep(200);
            for (int call = 0; call < 100; call++) {
                assertThat(this.pair.host.callBlocking(ECHO, bytes(call), Duration.ofSeconds(30))).isEqualTo(bytes(call));
            }
        }
        long woke = this.pair.host.transport().futexWakes() - wakes;
        long yieldingLeads = this.pair.host.leadsAfterPeerWake() - leads;
        assertThat(woke).as("requests after the idle periods woke the plugin's loop").isPositive();
        assertThat(yieldingLeads).as("leads that followed those wakes yielded at once").isPositive()
                .as("and no other lead: at most one per wake").isLessThanOrEqualTo(woke);
    }

    @Test
    void afterALongIdlePeriodTheLoopSleepsWithoutTheRoleAndACallerReadsItsAnswerWithoutWakingIt() throws Exception {
        // A second without frames: a loop whose session has blocking callers sleeps in the kernel without the role
        // (ShmTransport.awaitFrames). The next caller takes the role at once and reads its answer itself: no wake-up
        // and hand-over of the loop first (before, it woke the loop asleep holding the role and waited for it).
        // The plugin's loop only serves: it keeps sleeping inside its receive.
        assertThat(this.pair.host.callBlocking(ECHO, bytes(-1), Duration.ofSeconds(30))).isEqualTo(bytes(-1));
        long selfRead = this.pair.host.answersReadByTheirCallers();
        // The first call may have found the loop asleep holding the role (a receive, before a second of idleness).
        long wakesForRole = this.pair.host.receiveLoopWakesForRole();
        // Two rounds: the second shows that a loop whose caller read past it sleeps again without the role.
        for (int round = 0; round < 2; round++) {
            long sleeps = this.pair.host.receiveLoopSleepsWithoutRole();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                    assertThat(this.pair.host.receiveLoopSleepsWithoutRole()).as("the idle loop sleeps without the role")
                            .isGreaterThan(sleeps));
            assertThat(this.pair.host.callBlocking(ECHO, bytes(round), Duration.ofSeconds(30))).isEqualTo(bytes(round));
        }
        assertThat(this.pair.host.receiveLoopWakesForRole()).as("no caller had to wake the loop for the role")
                .isEqualTo(wakesForRole);
        // A caller leads for 2 ms after an idle period; on a loaded machine one answer may come later than that.
        assertThat(this.pair.host.answersReadByTheirCallers()).as("callers read their answers").isGreaterThan(selfRead);
        assertThat(this.pair.plugin.receiveLoopSleepsWithoutRole()).as("the plugin's loop, which only serves").isZero();
    }

    @Test
    void aLoopIdleWithoutTheRoleStaysInOneTurnLongerThanTheServingLoopsSecond() {
        // The host's loop, idle without the role, is on no call's way: one turn lasts 10 s (ReadTimings), where a
        // serving loop ends one every second. Nothing wakes it meanwhile: no frame, no caller, a live peer.
        assertThat(this.pair.host.callBlocking(ECHO, bytes(-1), Duration.ofSeconds(30))).isEqualTo(bytes(-1));
        // on a timeout, where the runtime's threads were (seen once in a CI run: 30 s without such a sleep)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(this.pair.host.receiveLoopSleepsWithoutRole())
                        .as(() -> "the host's idle loop slept without the role; threads:\n" + SessionThreads.describe())
                        .isPositive());
        long turns = this.pair.host.receiveLoopSleepsWithoutRole();
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> this.pair.host.receiveLoopSleepsWithoutRole() == turns);
        assertThat(this.pair.host.callBlocking(ECHO, bytes(1), Duration.ofSeconds(30))).isEqualTo(bytes(1));
    }

    @Test
    void aSessionWhoseOnlyBlockingCallEndedBeforeItsCallerWaitedStillIdlesWithoutTheRole() {
        // The session's first blocking call may end before its caller comes to wait: answered meanwhile by the loop
        // (a caller descheduled after its send, on a loaded machine), or, here, failed by its send. It counts as a
        // blocking caller all the same: the idle loop then leaves the role to the next one. (Before, only a caller
        // that led did, and a CI run waited 30 s below after a first call answered that way.)
        byte[] tooLarge = new byte[this.pair.host.transport().config().slotSize() + 1];
        assertThatThrownBy(() -> this.pair.host.callBlocking(ECHO, tooLarge, Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RapaceException.class,
                        failure -> assertThat(failure.errorCode()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertThat(this.pair.host.receiveLoopSleepsWithoutRole()).as("the host's idle loop sleeps without the role")
                        .isPositive());
        assertThat(this.pair.host.callBlocking(ECHO, bytes(1), Duration.ofSeconds(30))).isEqualTo(bytes(1));
    }

    @Test
    void facingAPeerWithoutTheWakeExtensionTheIdleLoopAlsoWaitsWithoutTheRole() throws Exception {
        // A v1.0 peer (here: the plugin's transport with the extension off, busy-polling as rapace v0.3's receive loop
        // does) never wakes anyone, so the host's idle loop parks; it does so without the role too, and a caller after
        // the idle period reads its answer itself without unparking the loop first (before, the loop parked inside its
        // receive holding the role). A parking plugin would answer up to 4 ms after idle, plus the wake-up of an idle
        // virtual CPU (3-4 ms on the 2-core VM at times): later than the caller's 2 ms lead, in all ten rounds once.
        try (SessionPair v1 = new SessionPair(this.dir.resolve("v1.shm"), ShmOptions.defaults(),
                ShmOptions.defaults().withWakeExtension(false).withIdleStrategy(BusySpinIdleStrategy::new),
                SessionOptions.defaults())) {
            v1.pluginHandlers.put(ECHO, InlineSessionTest.nonBlocking(call -> call.respond(call.requestPayload())));
            assertThat(v1.host.transport().wakeExtensionActive()).isFalse();
            assertThat(v1.host.callBlocking(ECHO, bytes(-1), Duration.ofSeconds(30))).isEqualTo(bytes(-1));
            long selfRead = v1.host.answersReadByTheirCallers();
            long wakesForRole = v1.host.receiveLoopWakesForRole();
            // A round's answer may still come after the caller's 2 ms lead (the plugin's thread descheduled) and be
            // delivered by the loop, so rounds go on (up to ten) until one caller read its own.
            for (int round = 0; round < 10 && v1.host.answersReadByTheirCallers() == selfRead; round++) {
                long waits = v1.host.receiveLoopSleepsWithoutRole();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).untilAsserted(() ->
                        assertThat(v1.host.receiveLoopSleepsWithoutRole()).as("the idle loop waits without the role")
                                .isGreaterThan(waits));
                assertThat(v1.host.callBlocking(ECHO, bytes(round), Duration.ofSeconds(30))).isEqualTo(bytes(round));
            }
            assertThat(v1.host.receiveLoopWakesForRole()).as("no caller had to wake the loop for the role")
                    .isEqualTo(wakesForRole);
            assertThat(v1.host.answersReadByTheirCallers()).as("callers read their answers").isGreaterThan(selfRead);
        }
    }

    @Test
    void manyCallersSlowAnswersAndRequestsFromThePeerAllGetThrough() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        int value = thread * 1_000_000 + i;
                        int method = switch (i % 10) {
                            case 0 -> SLOW_ECHO;    // an answer later than any lead: the loop delivers it
                            case 1 -> CALL_HOST;    // the plugin calls the host meanwhile
                            default -> ECHO;
                        };
                        assertThat(this.pair.host.callBlocking(method, bytes(value), Duration.ofSeconds(30)))
                                .isEqualTo(bytes(value));
                    }
                    return null;
                }));
            }
            for (Future<?> done : work) {
                done.get(120, TimeUnit.SECONDS);
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertThat(this.pair.plugin.pendingCalls()).isZero();
    }

    @Test
    void aStreamsDeliveryThreadReadsItsNextItemsItself() {
        // Waiting for its next item, the delivery thread reads the ring: the items of a steady stream are then
        // received and decoded by the thread that hands them to the subscriber, not by the receive loop (two
        // runnable threads per stream made the client of a bulk stream the bottleneck on two cores). Every item
        // arrives, in order, whoever reads.
        int items = 20_000;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        this.pair.host.callStreaming(COUNT_TO, bytes(items), Duration.ofSeconds(60))
                .doOnNext(item -> {
                    if (ByteBuffer.wrap(item).getInt() != next.getAndIncrement()) {
                        outOfOrder.incrementAndGet();
                    }
                })
                .blockLast(Duration.ofSeconds(60));
        assertThat(next).hasValue(items);
        assertThat(outOfOrder).hasValue(0);
        assertThat(this.pair.host.framesReadByStreamDeliverers()).isPositive();
        assertThat(this.pair.host.pendingCalls()).isZero();
    }

    private static byte[] bytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }
}
