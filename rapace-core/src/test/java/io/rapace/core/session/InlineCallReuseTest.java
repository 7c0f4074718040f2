package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Between two real sessions over one mapped file: a non-blocking handler that keeps nothing of its call once it
 * returned ({@link MethodHandler#keepsCallAfterReturn()} false) is served with the same call object each time, and a
 * small request lands in the session's array of its length, while each handler still reads its own request; one
 * that may keep its call (the default) gets a call object and a request array of its own every time.
 */
class InlineCallReuseTest {

    static final int KEEPS_NOTHING = 301;

    static final int KEEPS_ITS_CALL = 302;

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SessionPair pair;

    final List<ServerCall> seenCalls = new ArrayList<>();

    final List<byte[]> seenArrays = new ArrayList<>();

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("reuse.shm"));
        this.pair.pluginHandlers.put(KEEPS_NOTHING, handler(false));
        this.pair.pluginHandlers.put(KEEPS_ITS_CALL, handler(true));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aHandlerThatKeepsNothingIsServedWithTheSameCallAndArrayAndReadsEachRequest() {
        byte[][] requests = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12, 13}, {14, 15, 16}};
        for (byte[] request : requests) {
            assertThat(this.pair.host.callBlocking(KEEPS_NOTHING, request, TIMEOUT)).as("the answer of its own request")
                    .containsExactly(reversed(request));
        }

        assertThat(this.seenCalls).hasSize(requests.length);
        assertThat(this.seenCalls).allSatisfy(call -> assertThat(call).isSameAs(this.seenCalls.getFirst()));
        assertThat(this.seenArrays.get(1)).as("a request of the same length").isSameAs(this.seenArrays.getFirst());
        assertThat(this.seenArrays.get(4)).isSameAs(this.seenArrays.getFirst());
        assertThat(this.seenArrays.get(3)).as("a request of another length").isNotSameAs(this.seenArrays.getFirst());
    }

    @Test
    void aHandlerThatMayKeepItsCallGetsItsOwnCallAndArrayEachTime() {
        byte[][] requests = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
        for (byte[] request : requests) {
            assertThat(this.pair.host.callBlocking(KEEPS_ITS_CALL, request, TIMEOUT)).containsExactly(reversed(request));
        }

        assertThat(this.seenCalls).doesNotHaveDuplicates();
        for (int i = 0; i < requests.length; i++) {
            assertThat(this.seenCalls.get(i).requestPayload()).as("call %d's request, read after the later calls", i)
                    .containsExactly(requests[i]);
            assertThat(this.seenCalls.get(i).channelId()).isNotEqualTo(this.seenCalls.get((i + 1) % requests.length)
                    .channelId());
        }
    }

    /** Answers the request reversed, recording the call and the request array it was given. */
    private MethodHandler handler(boolean keepsCall) {
        return new MethodHandler() {
            @Override
            public void handle(ServerCall call) {
                byte[] request = call.requestPayload();
                InlineCallReuseTest.this.seenCalls.add(call);
                InlineCallReuseTest.this.seenArrays.add(request);
                call.respond(reversed(request));
            }

            @Override
            public boolean isNonBlocking() {
                return true;
            }

            @Override
            public boolean keepsCallAfterReturn() {
                return keepsCall;
            }
        };
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
