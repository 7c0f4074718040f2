package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Between two real sessions over one mapped file, the reuse of call objects and request arrays ({@link CallObjects}).
 * A non-blocking handler that keeps nothing of its call once it returned ({@link MethodHandler#keepsCallAfterReturn()}
 * false) is served on the ring's thread with the same call object each time, a small request in the session's array
 * of its length; a blocking one (run on a handler thread) with call objects the session reuses once the handler thread
 * ended them, and their own arrays. Each handler still reads its own request; one that may keep its call gets a call
 * object and an array of its own every time; and cancels of other calls, arriving while calls end and are reused,
 * never touch a reused call's new request.
 */
class CallReuseTest {

    static final int INLINE_KEEPS_NOTHING = 301;

    static final int INLINE_KEEPS_ITS_CALL = 302;

    static final int KEEPS_NOTHING = 401;

    static final int KEEPS_ITS_CALL = 402;

    /** Waits for its cancel, then returns without answering (the call ends as cancelled, on its handler thread). */
    static final int WAITS_FOR_CANCEL = 403;

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SessionPair pair;

    final List<ServerCall> seenCalls = new CopyOnWriteArrayList<>();

    final List<byte[]> seenArrays = new CopyOnWriteArrayList<>();

    final AtomicInteger cancelledSeen = new AtomicInteger();

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("handler-reuse.shm"));
        this.pair.pluginHandlers.put(INLINE_KEEPS_NOTHING, handler(true, false, this::answerReversed));
        this.pair.pluginHandlers.put(INLINE_KEEPS_ITS_CALL, handler(true, true, this::answerReversed));
        this.pair.pluginHandlers.put(KEEPS_NOTHING, handler(false, false, this::answerReversed));
        this.pair.pluginHandlers.put(KEEPS_ITS_CALL, handler(false, true, this::answerReversed));
        this.pair.pluginHandlers.put(WAITS_FOR_CANCEL, handler(false, false, this::waitForCancel));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aNonBlockingHandlerThatKeepsNothingIsServedWithTheSameCallAndArrayAndReadsEachRequest() {
        byte[][] requests = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12, 13}, {14, 15, 16}};
        for (byte[] request : requests) {
            assertThat(this.pair.host.callBlocking(INLINE_KEEPS_NOTHING, request, TIMEOUT)).as("the answer of its own request")
                    .containsExactly(reversed(request));
        }

        assertThat(this.seenCalls).hasSize(requests.length);
        assertThat(this.seenCalls).allSatisfy(call -> assertThat(call).isSameAs(this.seenCalls.getFirst()));
        assertThat(this.seenArrays.get(1)).as("a request of the same length").isSameAs(this.seenArrays.getFirst());
        assertThat(this.seenArrays.get(4)).isSameAs(this.seenArrays.getFirst());
        assertThat(this.seenArrays.get(3)).as("a request of another length").isNotSameAs(this.seenArrays.getFirst());
    }

    @Test
    void aNonBlockingHandlerThatMayKeepItsCallGetsItsOwnCallAndArrayEachTime() {
        byte[][] requests = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};

        callAndCheckOwnCalls(INLINE_KEEPS_ITS_CALL, requests);

        for (int i = 0; i < requests.length; i++) {
            assertThat(this.seenCalls.get(i).channelId()).isNotEqualTo(this.seenCalls.get((i + 1) % requests.length)
                    .channelId());
        }
    }

    @Test
    void aBlockingHandlerThatKeepsNothingIsServedWithReusedCallsAndReadsEachRequest() {
        List<byte[]> requests = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            requests.add(new byte[] {(byte) i, (byte) (i >> 3), 7, (byte) -i});
        }
        requests.add(new byte[] {1, 2, 3, 4, 5, 6});
        requests.add(new byte[70]);  // beyond the reused arrays' lengths
        requests.getLast()[0] = 9;
        for (byte[] request : requests) {
            assertThat(this.pair.host.callBlocking(KEEPS_NOTHING, request, TIMEOUT)).as("the answer of its own request")
                    .containsExactly(reversed(request));
        }

        assertThat(distinct(this.seenCalls)).as("call objects for %d requests, one after another", requests.size())
                .hasSizeLessThan(requests.size() / 2);
        assertThat(distinct(this.seenArrays.subList(0, 200))).as("request arrays for 200 requests of 4 bytes")
                .hasSizeLessThan(100);
    }

    @Test
    void aBlockingHandlerThatMayKeepItsCallGetsItsOwnCallEachTime() {
        callAndCheckOwnCalls(KEEPS_ITS_CALL, new byte[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
    }

    @Test
    void cancelsOfOtherCallsNeverReachAReusedCall() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> callers = new ArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        for (int c = 0; c < 3; c++) {
            int caller = c;
            callers.add(Thread.ofPlatform().name("reuse-caller-" + c).start(() -> {
                try {
                    for (int i = 0; !stop.get(); i++) {
                        byte[] request = {(byte) caller, (byte) i, (byte) (i >> 8), 42};
                        byte[] answer = this.pair.host.callBlocking(KEEPS_NOTHING, request, Duration.ofSeconds(10));
                        if (!Arrays.equals(answer, reversed(request))) {
                            throw new AssertionError("caller " + caller + " call " + i + " got " + Arrays.toString(answer));
                        }
                        answered.incrementAndGet();
                    }
                }
                catch (Throwable ex) {
                    failures.add(ex);
                }
            }));
        }
        int cancels = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - end < 0 && failures.isEmpty()) {
            CompletableFuture<byte[]> doomed = this.pair.host.call(WAITS_FOR_CANCEL, new byte[] {5}, TIMEOUT);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50 + (cancels % 7) * 40));
            doomed.cancel(true);
            cancels++;
        }
        stop.set(true);
        for (Thread caller : callers) {
            caller.join(TimeUnit.SECONDS.toMillis(20));
        }

        assertThat(failures).as("callers' failures").isEmpty();
        assertThat(answered.get()).as("answers while %d other calls were cancelled", cancels).isGreaterThan(100);
        assertThat(cancels).isGreaterThan(10);
        // Every cancelled call ends, by its handler thread, before the session is done with it.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(this.pair.plugin.activeServerCalls()).isZero());
    }

    private void answerReversed(ServerCall call) {
        call.respond(reversed(call.requestPayload()));
    }

    /** Waits (bounded) until the call is cancelled, then returns without answering. */
    private void waitForCancel(ServerCall call) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!call.isCancelled() && System.nanoTime() - end < 0) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
        }
        if (call.isCancelled()) {
            this.cancelledSeen.incrementAndGet();
        }
    }

    /** A handler (non-blocking: run on the ring's thread) that records its call and request, then does {@code work}. */
    private MethodHandler handler(boolean nonBlocking, boolean keepsCall, java.util.function.Consumer<ServerCall> work) {
        return new MethodHandler() {
            @Override
            public void handle(ServerCall call) {
                CallReuseTest.this.seenCalls.add(call);
                CallReuseTest.this.seenArrays.add(call.requestPayload());
                work.accept(call);
            }

            @Override
            public boolean isNonBlocking() {
                return nonBlocking;
            }

            @Override
            public boolean keepsCallAfterReturn() {
                return keepsCall;
            }
        };
    }

    /**
     * Calls {@code methodId} with each request in turn; checks each answer, that every call had a call object of its own,
     * and that each still holds its own request after the later calls.
     */
    private void callAndCheckOwnCalls(int methodId, byte[][] requests) {
        for (byte[] request : requests) {
            assertThat(this.pair.host.callBlocking(methodId, request, TIMEOUT)).containsExactly(reversed(request));
        }

        assertThat(this.seenCalls).doesNotHaveDuplicates();
        for (int i = 0; i < requests.length; i++) {
            assertThat(this.seenCalls.get(i).requestPayload()).as("call %d's request, read after the later calls", i)
                    .containsExactly(requests[i]);
        }
    }

    private static <T> Set<T> distinct(List<T> items) {
        Set<T> set = Collections.newSetFromMap(new IdentityHashMap<>());
        set.addAll(items);
        return set;
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] copy = Arrays.copyOf(bytes, bytes.length);
        for (int i = 0; i < copy.length / 2; i++) {
            byte swap = copy[i];
            copy[i] = copy[copy.length - 1 - i];
            copy[copy.length - 1 - i] = swap;
        }
        return copy;
    }
}
