package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ServerStreamsTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    SessionPair pair;

    @BeforeEach
    void start() {
        this.pair = new SessionPair(this.dir.resolve("streams.shm"));
    }

    @AfterEach
    void stop() {
        this.pair.close();
    }

    @Test
    void forwardsEveryItemThenEnds() {
        this.pair.pluginHandlers.put(1, call -> ServerStreams.forward(call, Flux.range(0, 100).map(i -> new byte[] {i.byteValue()})));
        List<byte[]> items = this.pair.host.callStreaming(1, new byte[0], null).collectList().block(WAIT);
        assertThat(items).hasSize(100);
        assertThat(items.get(99)).containsExactly(99);
    }

    @Test
    void errorsKeepTheirCode() {
        this.pair.pluginHandlers.put(1, call -> ServerStreams.forward(call,
                Flux.concat(Flux.just(new byte[] {1}), Flux.error(new RapaceException(ErrorCode.OUT_OF_RANGE, "too far")))));
        this.pair.pluginHandlers.put(2, call -> ServerStreams.forward(call, Flux.error(new IllegalStateException("broken"))));
        assertThatThrownBy(() -> this.pair.host.callStreaming(1, new byte[0], null).blockLast(WAIT))
                .isInstanceOfSatisfying(RapaceException.class, ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.OUT_OF_RANGE));
        assertThatThrownBy(() -> this.pair.host.callStreaming(2, new byte[0], null).blockLast(WAIT))
                .isInstanceOfSatisfying(RapaceException.class, ex -> {
                    assertThat(ex.errorCode()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(ex).hasMessage("broken");
                });
    }

    @Test
    void callerCancelDisposesTheSource() throws Exception {
        CountDownLatch sourceCancelled = new CountDownLatch(1);
        this.pair.pluginHandlers.put(1, call -> ServerStreams.forward(call, Flux.interval(Duration.ofMillis(2))
                .onBackpressureLatest()  // a timer cannot slow down: it must say what to do with ticks nobody asked for
                .map(i -> new byte[] {i.byteValue()}).doOnCancel(sourceCancelled::countDown)));
        assertThat(this.pair.host.callStreaming(1, new byte[0], null).take(2).collectList().block(WAIT)).hasSize(2);
        assertThat(sourceCancelled.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> this.pair.plugin.activeServerCalls() == 0);
    }

    @Test
    void callerCancelStopsASynchronousSourceThatNeverEnds() throws Exception {
        java.util.concurrent.atomic.AtomicLong generated = new java.util.concurrent.atomic.AtomicLong();
        this.pair.pluginHandlers.put(1, call -> ServerStreams.forward(call, Flux.<byte[]>generate(sink -> {
            generated.incrementAndGet();
            sink.next(new byte[] {1});
        })));
        assertThat(this.pair.host.callStreaming(1, new byte[0], null).take(3).collectList().block(WAIT)).hasSize(3);
        await().atMost(WAIT).until(() -> this.pair.plugin.activeServerCalls() == 0);
        long afterEnd = generated.get();
        Thread.sleep(200);
        assertThat(generated.get()).as("the source stopped once the call ended").isEqualTo(afterEnd);
        // one at a time: a handful past the three taken, never an unbounded run
        assertThat(afterEnd).isLessThan(1_000);
    }
}
