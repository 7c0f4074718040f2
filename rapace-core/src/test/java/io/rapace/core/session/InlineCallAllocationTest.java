package io.rapace.core.session;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.service.RapaceClients;
import io.rapace.core.service.RapaceService;
import io.rapace.core.service.RemoteMethod;
import io.rapace.core.service.ServiceDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a non-blocking typed call allocates on the thread that serves it (the plugin's ring thread), between two
 * real sessions over one mapped file: the session's call object and its send lock, the request's copy out of the
 * mapping and the argument array. Nothing per call beyond them: no reader (the thread's own decodes the
 * arguments), no map entry, no lambda, no answer array (the answer is encoded into the thread's reusable writer).
 */
class InlineCallAllocationTest {

    /** The service served inline. */
    @RapaceService("InlineAdder")
    public interface Adder {

        /** The sum. */
        @io.rapace.core.service.NonBlocking
        int add(int a, int b);
    }

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final int CALLS = 20_000;

    /**
     * {@code InboundCall} (80 bytes) and its send lock (16), the request's copy (24) and the {@code Object[2]} of
     * arguments (24), with 32 to spare: 64-160 bytes measured, escape analysis removing some of them in some runs.
     * The arguments are read by the thread's reusable reader ({@code Codecs.decode}): a reader per call (40) on top
     * of the worst run breaks it, as do an answer array (24), a registration in the active-call map or a capturing
     * lambda per call.
     */
    static final long BUDGET_BYTES_PER_CALL = 176;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    SessionPair pair;

    final AtomicReference<Thread> serving = new AtomicReference<>();

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("alloc.shm"));
        Adder implementation = (a, b) -> {
            this.serving.set(Thread.currentThread());
            return a + b;
        };
        ServiceDefinition adder = ServiceDefinition.of(Adder.class, implementation);
        for (RemoteMethod method : adder.methods()) {
            this.pair.pluginHandlers.put(method.id(), adder.dispatcher().lookup(method.id()));
        }
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aTypedNonBlockingCallAllocatesOnItsServingThread() {
        Adder adder = RapaceClients.create(Adder.class, this.pair.host);
        addRepeatedly(adder);
        long thread = this.serving.get().threadId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        addRepeatedly(adder);
        long perCall = (THREADS.getThreadAllocatedBytes(thread) - before) / CALLS;
        assertThat(this.serving.get().getName()).as("served inline, on the plugin's ring thread").startsWith("rapace-session-rx-");
        assertThat(perCall).as("bytes allocated per typed non-blocking call on its serving thread")
                .isLessThanOrEqualTo(BUDGET_BYTES_PER_CALL);
    }

    private static void addRepeatedly(Adder adder) {
        for (int i = 0; i < CALLS; i++) {
            int sum = adder.add(1, 2);
            if (sum != 3) {
                throw new AssertionError("unexpected sum " + sum);
            }
        }
    }
}
