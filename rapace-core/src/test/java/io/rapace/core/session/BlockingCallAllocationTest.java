package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntBinaryOperator;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.service.NonBlocking;
import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.ServiceDefinition;
import io.rapace.core.service.Services;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a blocking call allocates on its caller's thread, between two real sessions over one mapped file: the
 * call object (which is also its answer's slot) and, for a call with bytes, the answer's copy out of the mapping,
 * nothing per call beyond them ({@link ThreadAllocation}); through a typed client, nothing at all (its generated
 * class writes the arguments into the thread's reusable writer without boxes and takes a primitive answer as bits).
 * And what a typed non-blocking call allocates on the plugin's thread that serves it: nothing either.
 */
class BlockingCallAllocationTest {

    /** The service a typed client calls. */
    @RapaceService("Adder")
    public interface Adder {

        /** The sum. */
        int add(int a, int b);
    }

    /** The same, served on the plugin's ring thread. */
    @RapaceService("InlineAdder")
    public interface InlineAdder {

        /** The sum. */
        @NonBlocking
        int add(int a, int b);
    }

    static final int ECHO_ONE = 211;

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final byte[] REQUEST = {7};

    /**
     * The one-byte answer array (24 bytes), with 8 to spare: the thread's call object is reused once its call ended.
     * A call object per call ({@code BlockingCall}: 12-byte header, two ints, two longs, three references, 48 bytes)
     * breaks it.
     */
    static final long BUDGET_BYTES_PER_CALL = 32;

    /**
     * A call with codecs: nothing, with 8 to spare. A call object per call (48 bytes), the request's encoded array
     * (24) or a copy of the answer (24) breaks it.
     */
    static final long BUDGET_BYTES_PER_CODEC_CALL = 8;

    /**
     * A typed call of numbers beyond the {@code Integer} cache: nothing, with 8 to spare. An argument array (24
     * bytes, as the JDK's proxy makes), a box of an argument or of the answer (16 each), a call object per call (48),
     * the arguments encoded into an array of their own (24) or the answer copied out of the mapping (24) breaks it.
     */
    static final long BUDGET_BYTES_PER_TYPED_CALL = 8;

    /**
     * A typed non-blocking call of numbers beyond the {@code Integer} cache on the thread that serves it: nothing, with
     * 8 to spare. The session reuses the call object (its handler keeps nothing of it) and the request's array of
     * that length; the arguments are read by the thread's reusable reader straight into the implementation's
     * parameters ({@code ServedInvoker}) and the result written from its bits. A call object per call
     * ({@code InboundCall} and its send lock, 96 bytes), a request copy per call (24), an argument array (24), a box of
     * an argument or of the result (16 each: 208 bytes in all before these), a reader per call (40), an answer array
     * (24) or a capturing lambda per call breaks it.
     */
    static final long BUDGET_BYTES_PER_SERVED_CALL = 8;

    /**
     * A typed call of a blocking method, served on a handler thread, as counted over every thread but the caller's
     * (the plugin's receive and handler threads, the host's receive thread, the heartbeats): nothing, with 8 to spare
     * (0 in six runs). The session reuses the call object once its handler thread ended it itself, the request's
     * array, and the call's task for a hand-off to a handler thread, which waits in a place of its own
     * ({@link HandlerThreads}). A call object per call ({@code InboundCall} and its send lock, 96 bytes) breaks it.
     * Most requests here are read by the handler thread that answered the last one, so few are handed off: a task per
     * hand-off and a {@code SynchronousQueue}'s node per wait came to 2-30 bytes a call in eight runs, which this
     * budget need not catch; {@code HandlerThreadsTest} and {@code ServerCallsTest} check the hand-off itself, and
     * {@link CallReuseTest} the reuse of the request arrays.
     */
    static final long BUDGET_BYTES_PER_HANDLER_CALL = 8;

    /**
     * A first argument that makes {@link InlineAdder#add} spin longer than {@link InlineHandlers#WARN_MILLIS} by the
     * wall clock: its handler is then watched, its next runs measured ({@link RunCounters}).
     */
    static final int SLOW = -1;

    static final long SLOW_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(InlineHandlers.WARN_MILLIS + 1);

    /** Every this many-th call of {@link #addLargeNumbersWithSlowRunsRepeatedly} is slow. */
    static final int CALLS_PER_SLOW_RUN = 1_000;

    static final PostcardCodec<Integer> I32 = Codecs.of(Integer.class);

    static final int CALLS = 20_000;

    @TempDir
    Path dir;

    SessionPair pair;

    /** The thread that served the last {@link InlineAdder#add}. */
    final AtomicReference<Thread> serving = new AtomicReference<>();

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("alloc.shm"));
        this.pair.pluginHandlers.put(ECHO_ONE, InlineSessionTest.nonBlocking(call -> call.respond(REQUEST)));
        Adder implementation = Integer::sum;
        InlineAdder inline = (a, b) -> {
            this.serving.set(Thread.currentThread());
            if (a == SLOW) {
                InlineSessionTest.computeFor(SLOW_RUN_NANOS);
            }
            return a + b;
        };
        // The services' own dispatcher, as a plugin has: no box per look-up of their (large) method ids.
        this.pair.pluginServices = Services.dispatcher(List.of(ServiceDefinition.of(Adder.class, implementation),
                ServiceDefinition.of(InlineAdder.class, inline)));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aBlockingCallAllocatesItsCallObjectAndItsAnswerOnly() {
        callRepeatedly();  // class loading, lambdas, first-time paths
        long perCall = ThreadAllocation.bytesPerOperation(CALLS, this::callRepeatedly);

        assertThat(perCall).as("bytes allocated per blocking call on the caller's thread").isLessThanOrEqualTo(BUDGET_BYTES_PER_CALL);
    }

    @Test
    void aCallWithCodecsAllocatesItsCallObjectOnly() {
        callWithCodecsRepeatedly();
        long perCall = ThreadAllocation.bytesPerOperation(CALLS, this::callWithCodecsRepeatedly);

        assertThat(perCall).as("bytes allocated per blocking call with codecs on the caller's thread")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_CODEC_CALL);
    }

    @Test
    void aTypedCallAllocatesNothing() {
        Adder adder = RapaceClients.create(Adder.class, this.pair.host);
        addLargeNumbersRepeatedly(adder::add);
        long perCall = ThreadAllocation.bytesPerOperation(CALLS, () -> addLargeNumbersRepeatedly(adder::add));

        assertThat(perCall).as("bytes allocated per typed call on the caller's thread")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_TYPED_CALL);
        assertThat(RapaceClients.isClientClass(adder.getClass())).as("a generated client class").isTrue();
    }

    @Test
    void aTypedNonBlockingCallAllocatesNothingOnItsServingThread() {
        InlineAdder adder = RapaceClients.create(InlineAdder.class, this.pair.host);
        addLargeNumbersRepeatedly(adder::add);
        Thread serving = this.serving.get();
        long perCall = ThreadAllocation.bytesPerOperation(serving, CALLS, () -> addLargeNumbersRepeatedly(adder::add));

        assertThat(serving.getName()).as("served inline, on the plugin's ring thread").startsWith("rapace-session-rx-");
        assertThat(perCall).as("bytes allocated per typed non-blocking call on its serving thread")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_SERVED_CALL);
    }

    /**
     * The same while its handler is watched after slow runs: the measured runs' readings (the serving thread's wait
     * for a core and its switches, {@link RunCounters}) reuse their files and buffers. A CI run on a loaded machine once
     * read 27 bytes a call in the test above: a run slowed by the machine had put the handler under watch, and each
     * watched run read two files anew (16 kB of buffers or more a run).
     */
    @Test
    void aTypedNonBlockingCallAllocatesNothingOnItsServingThreadWhileItsHandlerIsWatched() {
        InlineAdder adder = RapaceClients.create(InlineAdder.class, this.pair.host);
        addLargeNumbersWithSlowRunsRepeatedly(adder);
        Thread serving = this.serving.get();
        long perCall = ThreadAllocation.bytesPerOperation(serving, CALLS, () -> addLargeNumbersWithSlowRunsRepeatedly(adder));

        assertThat(perCall).as("bytes allocated per typed non-blocking call on its serving thread, its handler watched")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_SERVED_CALL);
    }

    @Test
    void aTypedBlockingCallAllocatesNothingWhereItIsServed() {
        Adder adder = RapaceClients.create(Adder.class, this.pair.host);
        addLargeNumbersRepeatedly(adder::add);
        addLargeNumbersRepeatedly(adder::add);
        long perCall = ThreadAllocation.othersBytesPerOperation(CALLS, () -> addLargeNumbersRepeatedly(adder::add));

        assertThat(perCall).as("bytes allocated per typed blocking call by every thread but the caller's")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_HANDLER_CALL);
    }

    private static void addRepeatedly(IntBinaryOperator adder) {
        for (int i = 0; i < CALLS; i++) {
            int sum = adder.applyAsInt(1, 2);
            if (sum != 3) {
                throw new AssertionError("unexpected sum " + sum);
            }
        }
    }

    /** Sums beyond the {@code Integer} cache, so that a box of an argument or of the answer would show. */
    private static void addLargeNumbersRepeatedly(IntBinaryOperator adder) {
        for (int i = 0; i < CALLS; i++) {
            int sum = adder.applyAsInt(1_000 + i, 2_000);
            if (sum != 3_000 + i) {
                throw new AssertionError("unexpected sum " + sum);
            }
        }
    }

    /** {@link #addLargeNumbersRepeatedly}, with every {@link #CALLS_PER_SLOW_RUN}-th call slow ({@link #SLOW}). */
    private static void addLargeNumbersWithSlowRunsRepeatedly(InlineAdder adder) {
        for (int i = 0; i < CALLS; i++) {
            int a = i % CALLS_PER_SLOW_RUN == 0 ? SLOW : 1_000 + i;
            int sum = adder.add(a, 2_000);
            if (sum != a + 2_000) {
                throw new AssertionError("unexpected sum " + sum);
            }
        }
    }

    private void callWithCodecsRepeatedly() {
        for (int i = 0; i < CALLS; i++) {
            // The answer is the one byte 7: the zigzag varint of -4 (a cached box, as is the request's 3).
            Integer answer = this.pair.host.callBlocking(ECHO_ONE, I32, 3, I32, TIMEOUT);
            if (answer != -4) {
                throw new AssertionError("unexpected answer " + answer);
            }
        }
    }

    private void callRepeatedly() {
        for (int i = 0; i < CALLS; i++) {
            byte[] answer = this.pair.host.callBlocking(ECHO_ONE, REQUEST, TIMEOUT);
            if (answer.length != 1) {
                throw new AssertionError("unexpected answer of " + answer.length + " bytes");
            }
        }
    }
}
