package io.rapace.core.session;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.rapace.core.ErrorCode;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.FrameFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Non-blocking handlers run on the thread that delivers the frame; their answer never makes it wait. */
class InlineDispatchTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    static final PostcardCodec<String> STRING = Codecs.of(String.class);

    private final RecordingSender sender = new RecordingSender(4096);

    private final SessionStatus status = new SessionStatus("test session");

    private final List<ErrorCode> outcomes = new CopyOnWriteArrayList<>();

    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();

    private final List<Runnable> deferred = new CopyOnWriteArrayList<>();

    private final AtomicReference<Thread> ranOn = new AtomicReference<>();

    private final NonBlockingHandler echo = new NonBlockingHandler(call -> {
        this.ranOn.set(Thread.currentThread());
        call.respond(call.requestPayload());
    });

    private final NonBlockingHandler slow = new NonBlockingHandler(call -> {
        this.ranOn.set(Thread.currentThread());
        Thread.sleep(InlineHandlers.DEMOTE_MILLIS + 5);
        call.respond(new byte[] {9});
    });

    /** Computes for 8 ms of its own thread's CPU time: slow whatever else the machine runs. */
    private final NonBlockingHandler computes = new NonBlockingHandler(call -> {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long until = threads.getCurrentThreadCpuTime() + TimeUnit.MILLISECONDS.toNanos(InlineHandlers.WARN_MILLIS + 3);
        while (threads.getCurrentThreadCpuTime() < until) {
            Thread.onSpinWait();
        }
        call.respond(new byte[] {8});
    });

    /** The echo, answering with the request array itself, which the session reuses for the next request. */
    private final NonBlockingHandler echoKeepingNothing = new NonBlockingHandler(
            call -> call.respond(call.requestPayload()), false);

    /** Answers the request's text as a postcard string, through the thread's reusable writer. */
    private final NonBlockingHandler encodeText = new NonBlockingHandler(
            call -> call.respond(STRING, new String(call.requestPayload(), StandardCharsets.UTF_8)));

    private final ServerCalls calls = new ServerCalls(this.sender, methodId -> switch (methodId) {
        case 1 -> this.echo;
        case 2 -> this.slow;
        case 3 -> this.encodeText;
        case 4 -> this.computes;
        case 5 -> this.echoKeepingNothing;
        default -> null;
    }, this.status, new SessionObserver() {
        @Override
        public void onServerCallCompleted(int methodId, ErrorCode outcome, long durationNanos) {
            InlineDispatchTest.this.outcomes.add(outcome);
        }
    }, this.handlers, this.deferred::add);

    @AfterEach
    void stop() {
        this.handlers.shutdownNow();
    }

    @Test
    void nonBlockingHandlerRunsOnTheReceivingThreadAndAnswersBeforeOnFrameReturns() {
        this.calls.onFrame(TestFrame.of(2, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[] {4}));

        assertThat(this.ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(this.sender.sent).singleElement().satisfies(sent -> {
            assertThat(sent.channelId()).isEqualTo(2);
            assertThat(sent.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS);
            assertThat(sent.payload()).containsExactly(4);
        });
        assertThat(this.calls.size()).isZero();
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void answerThatFindsNoRoomIsHandedToAnotherThreadInsteadOfWaiting() {
        this.sender.full = true;

        this.calls.onFrame(TestFrame.of(2, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[] {4}));

        assertThat(this.sender.sent).isEmpty();
        assertThat(this.deferred).hasSize(1);
        assertThat(this.calls.size()).as("an answer in progress counts against the bound").isEqualTo(1);
        this.sender.full = false;  // the peer reads again
        this.deferred.getFirst().run();  // the other thread: waits for room, for as long as the peer lives
        assertThat(this.sender.sent).singleElement().satisfies(sent -> assertThat(sent.payload()).containsExactly(4));
        assertThat(this.calls.size()).isZero();
    }

    @Test
    void anEncodedAnswerThatFindsNoRoomIsACopyNotTheReusedWriter() {
        this.sender.full = true;

        // Answers that fill the thread's writer exactly (a 2-byte length, then the text): no shorter array would
        // betray a copy.
        PostcardWriter writer = Codecs.takeWriter();
        int capacity = writer.buffer().length;
        Codecs.releaseWriter(writer);
        String first = "a".repeat(capacity - 2);
        String second = "b".repeat(capacity - 2);
        this.calls.onFrame(TestFrame.of(2, 3, FrameFlags.DATA | FrameFlags.EOS, first.getBytes(StandardCharsets.UTF_8)));
        this.calls.onFrame(TestFrame.of(4, 3, FrameFlags.DATA | FrameFlags.EOS, second.getBytes(StandardCharsets.UTF_8)));
        this.calls.onFrame(TestFrame.of(6, 3, FrameFlags.DATA | FrameFlags.EOS, "short".getBytes(StandardCharsets.UTF_8)));

        assertThat(this.deferred).hasSize(3);
        this.sender.full = false;
        this.deferred.forEach(Runnable::run);
        assertThat(this.sender.sent).extracting(sent -> Codecs.decode(STRING, sent.payload()))
                .containsExactly(first, second, "short");
    }

    @Test
    void aReusedCallWhoseAnswerFindsNoRoomIsNotReusedAndItsAnswerIsACopyOfTheReusedRequestArray() {
        this.calls.onFrame(TestFrame.of(2, 5, FrameFlags.DATA | FrameFlags.EOS, new byte[] {1, 1}));
        this.sender.full = true;
        // Same length: the same request array each time; the first two answers wait for room on another thread.
        this.calls.onFrame(TestFrame.of(4, 5, FrameFlags.DATA | FrameFlags.EOS, new byte[] {2, 2}));
        this.calls.onFrame(TestFrame.of(6, 5, FrameFlags.DATA | FrameFlags.EOS, new byte[] {3, 3}));
        this.sender.full = false;
        this.calls.onFrame(TestFrame.of(8, 5, FrameFlags.DATA | FrameFlags.EOS, new byte[] {4, 4}));

        assertThat(this.deferred).hasSize(2);
        this.deferred.forEach(Runnable::run);
        assertThat(this.sender.sent).extracting(sent -> sent.channelId() + ":" + Arrays.toString(sent.payload()))
                .containsExactlyInAnyOrder("2:[1, 1]", "4:[2, 2]", "6:[3, 3]", "8:[4, 4]");
        assertThat(this.calls.size()).isZero();
        assertThat(this.outcomes).hasSize(4).containsOnly(ErrorCode.OK);
    }

    @Test
    void anEncodedAnswerIsSentAtOnceWithItsExactLength() {
        this.calls.onFrame(TestFrame.of(2, 3, FrameFlags.DATA | FrameFlags.EOS, "hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(this.sender.sent).singleElement().satisfies(sent -> {
            assertThat(sent.flags()).isEqualTo(FrameFlags.DATA | FrameFlags.EOS);
            assertThat(sent.payload()).containsExactly(5, 'h', 'e', 'l', 'l', 'o');
        });
        assertThat(this.outcomes).containsExactly(ErrorCode.OK);
    }

    @Test
    void blockingHandlerStillRunsOnAHandlerThread() {
        ServerCalls blocking = new ServerCalls(this.sender, methodId -> call -> {
            this.ranOn.set(Thread.currentThread());
            call.respond(new byte[] {1});
        }, this.status, SessionObserver.NONE, this.handlers, Runnable::run);

        blocking.onFrame(TestFrame.of(2, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));

        await().atMost(Duration.ofSeconds(30)).until(() -> this.sender.sent.size() == 1);
        assertThat(this.ranOn.get()).isNotSameAs(Thread.currentThread());
    }

    @Test
    void handlerThatKeepsRunningOverItsBudgetMovesToHandlerThreads() {
        Thread receiving = Thread.currentThread();
        // The first slow run puts the handler under watch; the measured ones after it count.
        int inlineRuns = InlineHandlers.SLOW_RUNS_ALLOWED + 1;
        for (int i = 0; i < inlineRuns; i++) {
            this.calls.onFrame(TestFrame.of(2 + 2 * i, 2, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
            assertThat(this.ranOn.get()).isSameAs(receiving);
        }

        this.calls.onFrame(TestFrame.of(100, 2, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));

        await().atMost(Duration.ofSeconds(30)).until(() -> this.sender.sent.size() == inlineRuns + 1);
        assertThat(this.ranOn.get()).isNotSameAs(receiving);
        // the fast handler keeps its place on the receiving thread
        this.calls.onFrame(TestFrame.of(102, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[] {7}));
        assertThat(this.ranOn.get()).isSameAs(receiving);
        assertThat(this.logs.messages()).as("the slow handler is named, and its move announced")
                .anyMatch((message) -> message.contains("is non-blocking but ran"))
                .anyMatch((message) -> message.contains("it now runs on handler threads"));
    }

    @Test
    void aHandlerSlowByItsOwnComputationIsReportedFromItsSecondSlowRun() {
        this.calls.onFrame(TestFrame.of(2, 4, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
        assertThat(this.logs.messages()).as("the first slow run, a cold start as often as not, only raises suspicion")
                .noneMatch((message) -> message.contains("is non-blocking but ran"));

        this.calls.onFrame(TestFrame.of(4, 4, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));

        assertThat(this.logs.messages()).as("measured: its own thread's time, however busy the machine")
                .anyMatch((message) -> message.contains("is non-blocking but ran"));
        assertThat(this.sender.sent).hasSize(2);
    }

    /**
     * A run stretched by the wait for a core, on a machine with more runnable threads than cores, says nothing
     * about the handler: measured, it is not counted, and the handler keeps the ring's thread. The handler computes
     * for 2 ms of wall-clock time, so a run longer than 5 ms is a run preempted; this thread and four spinning
     * threads share the first CPU, so such runs come a few runs apart, within the watch that a slow run starts, and
     * are measured (each logs, at DEBUG, that it is "not counted"). A wall-clock rule would count every one of them.
     * The spinning threads run in another process ({@link CpuHogs}): spinning in this JVM, they made each of its stops
     * (a safepoint) last until every one of them had reached its next poll, and a run caught in one blocked that long.
     */
    @Test
    void aRunStretchedByWaitingForACoreIsNotTheHandlersDoing() throws Exception {
        Assumptions.assumeTrue(readsItsWaitForACore(),
                "the wait for a core is read from /proc/thread-self/schedstat (Linux)");
        NonBlockingHandler brief = new NonBlockingHandler(call -> {
            this.ranOn.set(Thread.currentThread());
            InlineSessionTest.computeFor(TimeUnit.MILLISECONDS.toNanos(2));
            call.respond(new byte[] {1});
        });
        ServerCalls calls = new ServerCalls(this.sender, methodId -> brief, this.status, SessionObserver.NONE,
                this.handlers, this.deferred::add);
        Thread receiving = Thread.currentThread();
        Logger weighing = Logger.getLogger(InlineHandlers.class.getName());
        Level level = weighing.getLevel();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process hogs = new ProcessBuilder(java, "-Xmx32m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), CpuHogs.class.getName(), "4")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] affinity = CpuAffinity.get();
        try {
            try (BufferedReader out = hogs.inputReader()) {
                assertThat(out.readLine()).as("the spinning threads started").isEqualTo("spinning");
            }
            weighing.setLevel(Level.FINE);
            CpuAffinity.pinToFirstCpu();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (int channel = 2; notCounted() < 5 && System.nanoTime() < giveUp; channel += 2) {
                calls.onFrame(TestFrame.of(channel, 1, FrameFlags.DATA | FrameFlags.EOS, new byte[0]));
            }
        }
        finally {
            CpuAffinity.set(affinity);
            weighing.setLevel(level);
            hogs.getOutputStream().close();
            if (!hogs.waitFor(10, TimeUnit.SECONDS)) {
                hogs.destroyForcibly().waitFor();
            }
        }

        assertThat(notCounted()).as("measured runs slow by the clock that were not the handler's doing").isEqualTo(5);
        // One counted run is tolerated: a run during which the hypervisor took the virtual CPU away looks like the
        // handler's own CPU time from inside this VM, whose /proc/stat reports no stolen time (seen once: 6.2 ms).
        assertThat(calls.inlineHandlers().slowRunsCounted(brief)).as("slow runs counted as the handler's doing")
                .isLessThanOrEqualTo(1);
        assertThat(this.ranOn.get()).isSameAs(receiving);
    }

    /** How many measured runs were logged as slow by the clock but not counted against their handler. */
    private long notCounted() {
        return this.logs.messages().stream().filter((message) -> message.endsWith(": not counted")).count();
    }

    /** Whether this thread's wait for a core can be read here (Linux's /proc/thread-self/schedstat). */
    private static boolean readsItsWaitForACore() {
        try (ProcFile waits = RunQueueWait.ofReadingThread()) {
            return waits.read() != RunQueueWait.UNKNOWN;
        }
    }

    /**
     * A non-blocking handler; one that keeps nothing of its call ({@code keepsCall} false) lets the session reuse it
     * and the request array.
     */
    private record NonBlockingHandler(MethodHandler delegate, boolean keepsCall) implements MethodHandler {

        NonBlockingHandler(MethodHandler delegate) {
            this(delegate, true);
        }

        @Override
        public void handle(ServerCall call) throws Exception {
            this.delegate.handle(call);
        }

        @Override
        public boolean isNonBlocking() {
            return true;
        }

        @Override
        public boolean keepsCallAfterReturn() {
            return this.keepsCall;
        }
    }
}
