package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thread's blocking calls share one call object, restarted once each call ended: answers and errors that arrive
 * after their call's deadline, while the same object already stands for the thread's next call, must never end
 * that next call. Between two real sessions over one mapped file, answers late by design.
 */
class BlockingCallReuseTest {

    static final int LATE_ECHO = 231;

    static final PostcardCodec<Integer> I32 = Codecs.of(Integer.class);

    /** Each call's deadline: about half of the answers come after it. */
    static final Duration TIMEOUT = Duration.ofMillis(1);

    static final int CALLS = 1_500;

    @TempDir
    Path dir;

    SessionPair pair;

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("reuse.shm"));
        // Answers request i after 0, 0.5 or 1 ms (so around the caller's 1 ms deadline): every 7th with an error.
        this.pair.pluginHandlers.put(LATE_ECHO, call -> {
            int i = Codecs.decode(I32, call.requestPayload());
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(500L * (i % 3)));
            if (i % 7 == 0) {
                call.fail(ErrorCode.NOT_FOUND, "no " + i);
            }
            else {
                call.respond(I32, i);
            }
        });
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aLateAnswerOrErrorNeverEndsTheThreadsNextCall() {
        List<String> wrong = new ArrayList<>();
        int answered = 0;
        int expired = 0;
        for (int i = 1; i <= CALLS; i++) {
            try {
                int answer = this.pair.host.callBlocking(LATE_ECHO, I32, i, I32, TIMEOUT);
                if (answer != i || i % 7 == 0) {
                    wrong.add("call " + i + " answered " + answer);
                }
                answered++;
            }
            catch (RapaceException ex) {
                if (ex.errorCode() == ErrorCode.DEADLINE_EXCEEDED) {
                    expired++;
                }
                else if (ex.errorCode() != ErrorCode.NOT_FOUND || i % 7 != 0 || !ex.getMessage().equals("no " + i)) {
                    wrong.add("call " + i + " failed " + ex.errorCode() + ": " + ex.getMessage());
                }
            }
        }

        assertThat(wrong).as("calls ended by another call's answer or error").isEmpty();
        assertThat(answered).as("answered in time").isPositive();
        assertThat(expired).as("expired (the late answers raced with the next calls)").isPositive();
        await().atMost(Duration.ofSeconds(30)).until(() -> this.pair.host.pendingCalls() == 0);
    }
}
