package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.testsupport.logging.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Non-blocking handlers between two real sessions over one mapped file. */
class InlineSessionTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    static final int WHERE = 201;

    static final int CALL_BACK = 202;

    static final int ECHO = 203;

    @TempDir
    Path dir;

    SessionPair pair;

    final AtomicReference<String> handlerThread = new AtomicReference<>();

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("inline.shm"));
        this.pair.pluginHandlers.put(WHERE, nonBlocking(call -> {
            this.handlerThread.set(Thread.currentThread().getName());
            call.respond(new byte[] {1});
        }));
        this.pair.pluginHandlers.put(CALL_BACK, nonBlocking(call ->
                call.respond(this.pair.plugin.callBlocking(ECHO, new byte[] {5}, Duration.ofSeconds(5)))));
        this.pair.hostHandlers.put(ECHO, call -> call.respond(call.requestPayload()));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void nonBlockingHandlerRunsOnTheSessionsReceiveThread() {
        byte[] answer = this.pair.host.callBlocking(WHERE, new byte[0], Duration.ofSeconds(30));

        assertThat(answer).containsExactly(1);
        assertThat(this.handlerThread.get()).startsWith("rapace-session-rx-plugin");
    }

    @Test
    void blockingCallBackToThePeerFromTheReceiveThreadIsRefusedWithAClearError() {
        assertThatThrownBy(() -> this.pair.host.callBlocking(CALL_BACK, new byte[0], Duration.ofSeconds(30)))
                .isInstanceOfSatisfying(RapaceException.class, ex -> {
                    assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(ex.getMessage()).contains("reading the ring").contains("@NonBlocking");
                });
        // the session still serves
        assertThat(this.pair.host.callBlocking(WHERE, new byte[0], Duration.ofSeconds(30))).containsExactly(1);
    }

    static MethodHandler nonBlocking(MethodHandler handler) {
        return new MethodHandler() {
            @Override
            public void handle(ServerCall call) throws Exception {
                handler.handle(call);
            }

            @Override
            public boolean isNonBlocking() {
                return true;
            }
        };
    }

    /** Keeps this thread busy, on a core, for {@code nanos} by the wall clock: a handler that computes for that long. */
    static void computeFor(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
