package io.rapace.core.session;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.transport.shm.FrameFlags;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.layout.DescriptorLayout;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing is lost while the peer lives (issue 11): a reader that stops reading slows the other side down
 * instead of making it drop answers or fill its heap. Real mapped files; the far side is either a raw
 * transport driven by the test (a host that stops reading its ring) or a second session.
 */
class BackPressureTest {

    private volatile String lastSeen = "";


    private static final int ECHO = 7;

    /** Answers with the request's first 8 bytes: inline answers, that need ring space only. */
    private static final int SMALL_ANSWER = 9;

    /** Answers with the request padded to {@link #PAYLOAD} bytes: every answer needs a slot. */
    private static final int LARGE_ANSWER = 10;

    private static final int INLINE = 8;

    private static final int ENDLESS = 8;

    /** Over the inline capacity: every request, answer and item takes a slot. */
    private static final int PAYLOAD = 100;

    /** Much shorter than the stalls below: before the fix a reply waited this long, then was dropped. */
    private static final Duration SEND_TIMEOUT = Duration.ofMillis(200);

    private static final Duration STALL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : this.open.reversed()) {
            closeable.close();
        }
    }

    @Test
    void repliesWaitWhileTheHostStopsReadingAndAllArriveWhenItReadsAgain() throws Exception {
        int requests = 400;
        HostThatStopsReading host = startHostAndPlugin(SessionOptions.DEFAULT_MAX_ACTIVE_SERVER_CALLS);

        // Inline requests (all reach the plugin), answers that need slots: 32 slots, so most answers wait.
        host.sendInBackground(requests, LARGE_ANSWER, INLINE);
        await().atMost(Duration.ofSeconds(20)).until(() -> host.plugin.repliesWaitingForRoom() > requests / 2);
        // ten send timeouts without reading a single answer: none dropped meanwhile
        await().during(STALL).atMost(STALL.plusSeconds(20)).until(() -> host.plugin.responseSendFailures() == 0);
        long cpuBefore = processCpuNanos();
        long windowStart = System.nanoTime();
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(21))
                .until(() -> host.plugin.responseSendFailures() == 0);
        long cpuWhileWaiting = (processCpuNanos() - cpuBefore) * 1_000_000_000L / (System.nanoTime() - windowStart);
        assertThat(host.plugin.responseSendFailures()).as("no answer dropped while the host lives").isZero();
        assertThat(host.plugin.repliesWaitingForRoom()).as("answers still wait for room").isGreaterThan(requests / 2);
        System.out.printf("plugin with %d answers waiting for room: %.1f%% of a core (whole test JVM)%n",
                host.plugin.repliesWaitingForRoom(), cpuWhileWaiting / 1e7);

        Map<Integer, byte[]> answers = host.readAnswers(requests);

        assertThat(answers.size()).isEqualTo(requests);
        answers.forEach((channel, payload) -> assertThat(payload).as("channel %d", channel).isEqualTo(request(channel, PAYLOAD)));
        assertThat(host.plugin.responseSendFailures()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> host.plugin.activeServerCalls() == 0);
        assertThat(host.transport.stats().slotsInUse()).as("slots in use before close").isZero();
    }

    @Test
    void reachingTheBoundStopsReadingRequestsInsteadOfRefusingThem() throws Exception {
        int requests = 250;  // under maxActive + maxHeldServerRequests (8 + 256): none may be refused
        int maxActive = 8;
        HostThatStopsReading host = startHostAndPlugin(maxActive);

        // Requests in slots, inline answers: the plugin's answers fill the ring (64), then wait for ring space.
        host.sendInBackground(requests, SMALL_ANSWER, PAYLOAD);
        await().during(STALL).atMost(STALL.plusSeconds(20))
                .until(() -> host.plugin.activeServerCalls() <= maxActive + 64);

        // The plugin took at most the bound plus one read batch; the rest wait in the host's ring.
        assertThat(host.plugin.activeServerCalls()).isLessThanOrEqualTo(maxActive + 64);
        assertThat(host.sent.get()).as("the host's sends wait: the plugin stopped reading").isLessThan(requests);
        int sentDuringStall = host.sent.get();
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20)).until(() -> host.sent.get() == sentDuringStall);

        Map<Integer, byte[]> answers = host.readAnswers(requests);

        assertThat(answers.size()).isEqualTo(requests);
        answers.forEach((channel, payload) -> assertThat(payload).as("channel %d", channel).isEqualTo(request(channel, INLINE)));
        assertThat(host.plugin.responseSendFailures()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> host.plugin.activeServerCalls() == 0);
        assertThat(host.transport.stats().slotsInUse()).isZero();
    }

    @Test
    void aSessionThatTakesNoNewRequestsStillReadsTheAnswersToItsOwnCalls() throws Exception {
        SessionPair pair = pair(SessionOptions.defaults().withMaxActiveServerCalls(1));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        pair.pluginHandlers.put(ECHO, call -> {
            release.await();
            call.respond(call.requestPayload());
        });
        pair.hostHandlers.put(ECHO, call -> call.respond(call.requestPayload()));
        var first = pair.host.call(ECHO, new byte[] {1}, Duration.ofSeconds(30));
        var second = pair.host.call(ECHO, new byte[] {2}, Duration.ofSeconds(30));
        // The plugin is at its bound: it stopped reading. The second request waits in the host's ring, or, when
        // both arrived in one read batch, is held by the plugin (read, not started).
        try {
            await().atMost(Duration.ofSeconds(20))
                .alias("active server calls 1 and the second request waiting or held")
                .conditionEvaluationListener(condition -> this.lastSeen = "active=" + pair.plugin.activeServerCalls()
                        + " ring=" + pair.host.transport().stats().sendRingOccupancy() + " held="
                        + pair.plugin.heldServerRequests() + " pending(host)=" + pair.host.pendingCalls())
                .until(() -> pair.plugin.activeServerCalls() - pair.plugin.heldServerRequests() == 1
                    && pair.host.transport().stats().sendRingOccupancy() + pair.plugin.heldServerRequests() == 1);
        }
        catch (org.awaitility.core.ConditionTimeoutException ex) {
            throw new AssertionError("last seen: " + this.lastSeen, ex);
        }
        // A held request counts among the active server calls: one handler runs, one request waits, and stays so.
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(20))
                .until(() -> pair.plugin.activeServerCalls() - pair.plugin.heldServerRequests() == 1
                    && pair.host.transport().stats().sendRingOccupancy() + pair.plugin.heldServerRequests() == 1);

        // Yet its own call to the host gets its answer (rule: never stop reading while a call of ours waits, or
        // two saturated peers would wait on each other for ever); the request read meanwhile is held.
        assertThat(pair.plugin.callBlocking(ECHO, new byte[] {3}, Duration.ofSeconds(20))).containsExactly(3);
        assertThat(pair.plugin.heldServerRequests()).isEqualTo(1);

        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS)).containsExactly(1);
        assertThat(second.get(20, TimeUnit.SECONDS)).containsExactly(2);
    }

    @Test
    void aStalledSubscriberSlowsTheProducerAndGetsEveryItemInOrderWhenItResumes() throws Exception {
        int bufferBound = 32;
        SessionPair pair = pair(SessionOptions.defaults().withMaxBufferedStreamItems(bufferBound));
        EndlessProducer producer = new EndlessProducer();
        pair.pluginHandlers.put(ENDLESS, producer);
        StalledSubscriber subscriber = new StalledSubscriber(10);

        pair.host.callStreaming(ENDLESS, new byte[0], Duration.ofSeconds(60)).subscribe(subscriber);
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.items.size() == 10);
        await().during(STALL).atMost(STALL.plusSeconds(20))
                .until(() -> producer.sent.get() < 10 + bufferBound + 64 + 64 + 2);

        // Bounded: 10 taken, the buffer (32) and one read batch (64) on the host, the ring (64), one in hand.
        int producedWhileStalled = producer.sent.get();
        assertThat(producedWhileStalled).isLessThan(10 + bufferBound + 64 + 64 + 2);
        await().alias("the producer waits for room").during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(20))
                .until(() -> producer.sent.get() == producedWhileStalled);
        assertThat(producer.failure.get()).as("its sends wait rather than fail").isNull();

        subscriber.more(3000);
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.items.size() >= 3010);
        for (int i = 0; i < 3010; i++) {
            assertThat(subscriber.items.get(i)).as("item %d", i).isEqualTo(i);
        }
        subscriber.cancel();
        awaitEverythingReleased(pair);
        assertThat(producer.failure.get()).isNull();
        assertThat(pair.plugin.responseSendFailures()).isZero();
    }

    @Test
    void cancellingAStalledStreamReleasesTheReaderEveryWaitingSendAndEverySlot() throws Exception {
        SessionPair pair = pair(SessionOptions.defaults().withMaxBufferedStreamItems(16));
        EndlessProducer producer = new EndlessProducer();
        pair.pluginHandlers.put(ENDLESS, producer);
        pair.pluginHandlers.put(ECHO, call -> call.respond(call.requestPayload()));
        StalledSubscriber subscriber = new StalledSubscriber(1);
        pair.host.callStreaming(ENDLESS, new byte[0], Duration.ofSeconds(60)).subscribe(subscriber);
        await().atMost(Duration.ofSeconds(20)).until(() -> subscriber.items.size() == 1);
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(300)).until(() -> {
            int now = producer.sent.get();
            boolean still = now == last[0];
            last[0] = now;
            return still;
        });
        assertThat(pair.host.transport().stats().slotsInUse()).as("the stalled stream holds slots").isPositive();

        subscriber.cancel();

        awaitEverythingReleased(pair);
        assertThat(pair.host.callBlocking(ECHO, new byte[] {5}, Duration.ofSeconds(20)))
                .as("the host reads again").containsExactly(5);
    }

    private static void awaitEverythingReleased(SessionPair pair) {
        // Gauges read 0 once closed: checked here, before close.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(pair.plugin.activeServerCalls()).isZero();
            assertThat(pair.host.pendingCalls()).isZero();
            assertThat(pair.host.transport().stats().slotsInUse()).isZero();
            assertThat(pair.host.transport().stats().receiveRingOccupancy()).isZero();
        });
    }

    private SessionPair pair(SessionOptions options) {
        SessionPair pair = new SessionPair(this.dir.resolve("pair.shm"), ShmOptions.defaults(), ShmOptions.defaults(),
                options.withSendTimeout(SEND_TIMEOUT));
        this.open.add(pair);
        return pair;
    }

    private HostThatStopsReading startHostAndPlugin(int maxActive) {
        Path file = this.dir.resolve("stop.shm");
        ShmTransport hostTransport = ShmTransport.create(file, SessionPair.CONFIG, ShmOptions.defaults());
        this.open.add(hostTransport);
        RpcSession plugin = RpcSession.start(ShmTransport.open(file, ShmOptions.defaults()), SessionOptions.defaults()
                .withSendTimeout(SEND_TIMEOUT)
                .withMaxActiveServerCalls(maxActive)
                .withDispatcher(methodId -> switch (methodId) {
                    case SMALL_ANSWER -> call -> call.respond(java.util.Arrays.copyOf(call.requestPayload(), INLINE));
                    case LARGE_ANSWER -> call -> call.respond(java.util.Arrays.copyOf(call.requestPayload(), PAYLOAD));
                    default -> null;
                }));
        this.open.add(() -> plugin.close(Duration.ZERO));
        HostThatStopsReading host = new HostThatStopsReading(hostTransport, plugin);
        this.open.add(host::stop);
        return host;
    }

    private static byte[] request(int channel, int size) {
        return ByteBuffer.allocate(size).putInt(channel).array();
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** A host driven by the test: sends requests from a thread, reads nothing until told to. */
    private static final class HostThatStopsReading {

        final ShmTransport transport;

        final RpcSession plugin;

        final AtomicInteger sent = new AtomicInteger();

        private @Nullable Thread sender;

        HostThatStopsReading(ShmTransport transport, RpcSession plugin) {
            this.transport = transport;
            this.plugin = plugin;
        }

        void sendInBackground(int requests, int method, int size) {
            this.sender = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < requests; i++) {
                    int channel = 1 + 2 * i;
                    byte[] payload = request(channel, size);
                    this.transport.send(channel, method, FrameFlags.DATA | FrameFlags.EOS, DescriptorLayout.NO_DEADLINE,
                            payload, 0, payload.length, TimeUnit.SECONDS.toNanos(60));
                    this.sent.incrementAndGet();
                }
            });
        }

        Map<Integer, byte[]> readAnswers(int requests) {
            Map<Integer, byte[]> answers = new ConcurrentHashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answers.size() < requests && System.nanoTime() < deadline) {
                this.transport.receive(frame -> {
                    byte[] payload = frame.payloadBytes();
                    answers.put(frame.channelId(), frame.flags() == (FrameFlags.DATA | FrameFlags.EOS) ? payload
                            : ("flags 0x" + Integer.toHexString(frame.flags()) + ": " + new String(payload,
                                    java.nio.charset.StandardCharsets.UTF_8)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }, 64, TimeUnit.MILLISECONDS.toNanos(100));
            }
            return answers;
        }

        void stop() throws InterruptedException {
            Thread thread = this.sender;
            if (thread != null) {
                thread.join(TimeUnit.SECONDS.toMillis(70));
            }
        }
    }

    /** Sends numbered items until cancelled; counts them and keeps the first failure. */
    private static final class EndlessProducer implements MethodHandler {

        final AtomicInteger sent = new AtomicInteger();

        final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();

        @Override
        public void handle(ServerCall call) {
            byte[] item = new byte[PAYLOAD];
            try {
                for (int i = 0; !call.isCancelled(); i++) {
                    ByteBuffer.wrap(item).putInt(0, i);
                    call.sendItem(item, item.length);
                    this.sent.incrementAndGet();
                }
            }
            catch (RuntimeException ex) {
                this.failure.set(ex);
                throw ex;
            }
        }
    }

    /** Takes {@code initial} items, then nothing until told. */
    private static final class StalledSubscriber extends BaseSubscriber<byte[]> {

        final List<Integer> items = java.util.Collections.synchronizedList(new ArrayList<>());

        private final int initial;

        StalledSubscriber(int initial) {
            this.initial = initial;
        }

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            subscription.request(this.initial);
        }

        @Override
        protected void hookOnNext(byte[] value) {
            this.items.add(ByteBuffer.wrap(value).getInt());
        }

        void more(long n) {
            request(n);
        }
    }
}
