package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardEncodeException;
import io.rapace.core.codec.TypeRef;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RpcSession#callBlocking(int, PostcardCodec, Object, PostcardCodec, Duration)} between two real sessions over
 * one mapped file: the request encoded from the caller's reusable writer, the answer decoded where it is read
 * (through the reading thread's buffer when small, from the mapping when larger, afresh on a virtual thread), and
 * every failure reported without losing the session.
 */
class CodecCallTest {

    static final int ECHO = 221;

    static final int REPEAT = 222;

    static final int ANSWER_BYTES = 223;

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    static final PostcardCodec<String> STRING = Codecs.of(String.class);

    static final PostcardCodec<Integer> I32 = Codecs.of(Integer.class);

    @TempDir
    Path dir;

    SessionPair pair;

    /** What {@link #ANSWER_BYTES} answers, verbatim. */
    final AtomicReference<byte[]> rawAnswer = new AtomicReference<>(new byte[0]);

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("codec-call.shm"));
        this.pair.pluginHandlers.put(ECHO, call -> call.respond(call.requestPayload()));
        this.pair.pluginHandlers.put(REPEAT, call -> {
            int times = Codecs.decode(I32, call.requestPayload());
            call.respond(Codecs.encode(STRING, "ab".repeat(times)));
        });
        this.pair.pluginHandlers.put(ANSWER_BYTES, call -> call.respond(this.rawAnswer.get()));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void aSmallAnswerIsDecodedAndTheRequestArrivesAsEncoded() {
        assertThat(this.pair.host.callBlocking(ECHO, STRING, "héllo", STRING, TIMEOUT)).isEqualTo("héllo");
        assertThat(this.pair.host.callBlocking(ECHO, I32, -123_456, I32, TIMEOUT)).isEqualTo(-123_456);
    }

    @Test
    void answersBeyondTheThreadsBufferAreDecodedFromTheMapping() {
        int times = ThreadScratch.ANSWER_CAPACITY;  // 512 characters and a length prefix: past the buffer
        String answer = this.pair.host.callBlocking(REPEAT, I32, times, STRING, TIMEOUT);

        assertThat(answer).isEqualTo("ab".repeat(times));
        // And a small one again after it, through the same thread's buffer.
        assertThat(this.pair.host.callBlocking(REPEAT, I32, 2, STRING, TIMEOUT)).isEqualTo("abab");
    }

    @Test
    void aRequestBeyondTheWritersFirstCapacityIsSentWhole() {
        String large = "x".repeat(3000);

        assertThat(this.pair.host.callBlocking(ECHO, STRING, large, STRING, TIMEOUT)).isEqualTo(large);
        assertThat(this.pair.host.callBlocking(ECHO, STRING, "small", STRING, TIMEOUT)).isEqualTo("small");
    }

    @Test
    void streamItemsOnBothSidesOfTheReadersBufferDecodeWhole() {
        int[] lengths = {1, 200, 300, 5, ThreadScratch.ANSWER_CAPACITY - 3, ThreadScratch.ANSWER_CAPACITY - 2, 1000, 0};
        this.pair.pluginHandlers.put(REPEAT + 100, call -> {
            for (int length : lengths) {
                call.sendItem(Codecs.encode(STRING, "x".repeat(length)));
            }
            call.complete();
        });

        List<String> items = this.pair.host.callStreaming(REPEAT + 100, new byte[0], TIMEOUT, STRING)
                .collectList().block(TIMEOUT);

        assertThat(items).extracting(String::length).containsExactly(1, 200, 300, 5,
                ThreadScratch.ANSWER_CAPACITY - 3, ThreadScratch.ANSWER_CAPACITY - 2, 1000, 0);
        assertThat(items).allSatisfy(item -> assertThat(item).matches("x*"));
    }

    @Test
    void aVirtualThreadCallsWithFreshBuffers() throws Exception {
        AtomicReference<@Nullable Object> result = new AtomicReference<>();
        Thread caller = Thread.ofVirtual().start(() -> result.set(
                this.pair.host.callBlocking(REPEAT, I32, 200, STRING, TIMEOUT)));
        caller.join(TIMEOUT);

        assertThat(result.get()).isEqualTo("ab".repeat(200));
    }

    @Test
    void aNullAnswerIsNullNotAPendingCall() {
        PostcardCodec<@Nullable String> optionalString = Codecs.of(new TypeRef<@Nullable String>() { });
        this.rawAnswer.set(new byte[] {0});  // Option::None

        assertThat(this.pair.host.callBlocking(ANSWER_BYTES, I32, 1, optionalString, TIMEOUT)).isNull();
    }

    @Test
    void anAnswerThatDoesNotDecodeFailsTheCallAndTheSessionGoesOn() {
        this.rawAnswer.set(new byte[] {5, 'a'});  // a string of 5 bytes with 1 present

        assertThatThrownBy(() -> this.pair.host.callBlocking(ANSWER_BYTES, I32, 1, STRING, TIMEOUT))
                .isInstanceOfSatisfying(RapaceException.class, ex -> {
                    assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(ex.getMessage()).contains("decode error");
                });
        this.rawAnswer.set(new byte[] {1, 'a', 'z'});  // one byte too many

        assertThatThrownBy(() -> this.pair.host.callBlocking(ANSWER_BYTES, I32, 1, STRING, TIMEOUT))
                .isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertThat(this.pair.host.callBlocking(ECHO, STRING, "still", STRING, TIMEOUT)).isEqualTo("still");
    }

    /**
     * A record whose class cannot be initialised: the first value decoded to it fails with
     * {@link ExceptionInInitializerError}, later ones with {@link NoClassDefFoundError} (both {@link LinkageError}).
     */
    static final String LINKAGE_ERROR = "ExceptionInInitializerError|NoClassDefFoundError";

    record Poisoned(int value) {
        static {
            if (Boolean.parseBoolean("true")) {
                throw new IllegalStateException("poisoned on purpose");
            }
        }
    }

    @Test
    void anAnswerWhoseTypeFailsToLinkFailsTheCallNotTheThreadThatReadIt() {
        PostcardCodec<Poisoned> poisoned = Codecs.of(Poisoned.class);
        this.rawAnswer.set(new byte[] {2});

        assertThatThrownBy(() -> this.pair.host.callBlocking(ANSWER_BYTES, I32, 1, poisoned, TIMEOUT))
                .isInstanceOfSatisfying(RapaceException.class, ex -> {
                    assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(ex.getMessage()).containsPattern(LINKAGE_ERROR);
                });
        assertThat(this.pair.host.pendingCalls()).isZero();
        assertThat(this.pair.host.callBlocking(ECHO, STRING, "after", STRING, TIMEOUT)).isEqualTo("after");
    }

    @Test
    void aStreamItemWhoseTypeFailsToLinkFailsTheStreamNotTheThreadThatReadIt() {
        this.pair.pluginHandlers.put(ANSWER_BYTES + 100, call -> {
            call.sendItem(new byte[] {2});
            call.complete();
        });

        assertThatThrownBy(() -> this.pair.host.callStreaming(ANSWER_BYTES + 100, new byte[0], TIMEOUT,
                        Codecs.of(Poisoned.class)).blockLast(TIMEOUT))
                .isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertThat(ex.getMessage()).containsPattern(LINKAGE_ERROR));
        assertThat(this.pair.host.callBlocking(ECHO, STRING, "after", STRING, TIMEOUT)).isEqualTo("after");
    }

    @Test
    void aRequestThatCannotBeEncodedSendsNothingAndFreesTheWriter() {
        assertThatThrownBy(() -> this.pair.host.callBlocking(ECHO, STRING, null, STRING, TIMEOUT))
                .isInstanceOf(PostcardEncodeException.class);

        assertThat(this.pair.host.pendingCalls()).isZero();
        assertThat(this.pair.host.callBlocking(ECHO, STRING, "next", STRING, TIMEOUT)).isEqualTo("next");
    }

    @Test
    void aCallWithCodecsFromTheThreadReadingTheRingIsRefused() throws Exception {
        AtomicReference<@Nullable Throwable> refused = new AtomicReference<>();
        this.pair.pluginHandlers.put(ECHO + 100, InlineSessionTest.nonBlocking(call -> {
            try {
                this.pair.plugin.callBlocking(ECHO, STRING, "back", STRING, TIMEOUT);
            }
            catch (IllegalStateException expected) {
                refused.set(expected);
            }
            call.respond(new byte[0]);
        }));

        this.pair.host.callBlocking(ECHO + 100, new byte[0], TIMEOUT);

        assertThat(refused.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("from the thread reading the ring");
    }
}
