package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a blocking call allocates on its caller's thread, between two real sessions over one mapped file: the
 * call object (which is also its answer's slot) and the answer's copy out of the mapping, nothing per call
 * beyond them ({@link ThreadAllocation}).
 */
class BlockingCallAllocationTest {

    static final int ECHO_ONE = 211;

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final byte[] REQUEST = {7};

    /**
     * The call ({@code BlockingCall}: 12-byte header, two ints, two longs, two references, 48 bytes) and a
     * one-byte answer array (24 bytes): 72 (measured 71-72), with 8 to spare. A separate completion object per
     * call (24 bytes more: 87 measured before) breaks it.
     */
    static final long BUDGET_BYTES_PER_CALL = 80;

    static final int CALLS = 20_000;

    @TempDir
    Path dir;

    SessionPair pair;

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("alloc.shm"));
        this.pair.pluginHandlers.put(ECHO_ONE, InlineSessionTest.nonBlocking(call -> call.respond(REQUEST)));
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

    private void callRepeatedly() {
        for (int i = 0; i < CALLS; i++) {
            byte[] answer = this.pair.host.callBlocking(ECHO_ONE, REQUEST, TIMEOUT);
            if (answer.length != 1) {
                throw new AssertionError("unexpected answer of " + answer.length + " bytes");
            }
        }
    }
}
