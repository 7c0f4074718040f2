package io.rapace.core.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.rapace.core.ErrorCode;
import io.rapace.core.RapaceException;
import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.ShmOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The plugin's transport is closed under it, its heartbeat stops, and the host learns the peer died. */
class PeerDeathTest {

    // Failures provoked on purpose are logged: captured, not printed.
    @RegisterExtension
    final LogCapture logs = LogCapture.of("io.rapace");

    static final int BLOCK = 1;

    static final int ENDLESS = 2;

    @TempDir
    Path dir;

    final CountDownLatch release = new CountDownLatch(1);

    SessionPair pair;

    @BeforeEach
    void start() {
        // The plugin's process is not watched (it is this JVM): the host takes it for gone after its heartbeat
        // stood still for 2 s; the plugin beats every 50 ms while alive.
        this.pair = new SessionPair(this.dir.resolve("death.shm"),
                ShmOptions.defaults().withLivenessTimeout(Duration.ofSeconds(1)).withPeerGoneAfter(Duration.ofSeconds(2)),
                ShmOptions.defaults().withHeartbeatInterval(Duration.ofMillis(50)), SessionOptions.defaults());
        this.pair.pluginHandlers.put(BLOCK, call -> {
            this.release.await();
            call.respond(new byte[0]);
        });
        this.pair.pluginHandlers.put(ENDLESS, call -> {
            call.sendItem(new byte[] {1});
            this.release.await();
            call.complete();
        });
    }

    @AfterEach
    void stop() {
        this.release.countDown();
        this.pair.close();
    }

    @Test
    void waitingCallsStreamsAndNewCallsFailWithPeerDied() throws Exception {
        CompletableFuture<byte[]> waiting = this.pair.host.call(BLOCK, new byte[0], Duration.ofMinutes(5));
        CountDownLatch firstItem = new CountDownLatch(1);
        CompletableFuture<Void> stream = this.pair.host.callStreaming(ENDLESS, new byte[0], Duration.ofMinutes(5))
                .doOnNext(item -> firstItem.countDown()).then().toFuture();
        assertThat(firstItem.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> this.pair.plugin.activeServerCalls() == 2);

        java.util.concurrent.atomic.AtomicReference<Throwable> observed = new java.util.concurrent.atomic.AtomicReference<>();
        this.pair.host.closeFuture().whenComplete((ignored, failure) -> observed.set(failure));

        this.pair.plugin.transport().close();

        assertThat(RpcSessionTest.failure(waiting).errorCode()).isEqualTo(ErrorCode.PEER_DIED);
        assertThat(RpcSessionTest.failure(stream).errorCode()).isEqualTo(ErrorCode.PEER_DIED);
        assertThat(this.pair.host.state()).isEqualTo(SessionState.PEER_DIED);
        assertThatThrownBy(() -> this.pair.host.closeFuture().get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.PEER_DIED));
        // Listeners get the RapaceException itself, not a wrapper.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(observed.get())
                .isInstanceOfSatisfying(RapaceException.class, ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.PEER_DIED)));
        assertThat(this.pair.host.transport().isClosed()).isTrue();
        assertThat(RpcSessionTest.failure(this.pair.host.call(BLOCK, new byte[0], null)).errorCode())
                .isEqualTo(ErrorCode.PEER_DIED);
        assertThat(this.pair.host.pendingCalls()).isZero();
        // The plugin's own session saw its transport closed under it: it ends normally.
        this.pair.plugin.closeFuture().get(30, TimeUnit.SECONDS);
        assertThat(this.pair.plugin.state()).isEqualTo(SessionState.CLOSED);
        await().atMost(Duration.ofSeconds(30)).until(() -> this.pair.plugin.activeServerCalls() == 0);
    }

    @Test
    void toldThePeerIsGoneEveryPendingCallFailsAtOnceNamingWhy() throws Exception {
        CompletableFuture<byte[]> waiting = this.pair.host.call(BLOCK, new byte[0], Duration.ofMinutes(5));
        CompletableFuture<byte[]> blocking = CompletableFuture.supplyAsync(
                () -> this.pair.host.callBlocking(BLOCK, new byte[0], Duration.ofMinutes(5)));
        CompletableFuture<Void> stream = this.pair.host.callStreaming(ENDLESS, new byte[0], Duration.ofMinutes(5))
                .then().toFuture();
        await().atMost(Duration.ofSeconds(30)).until(() -> this.pair.host.pendingCalls() == 3);
        assertThat(this.pair.host.peerState()).isEqualTo(io.rapace.transport.shm.PeerState.ALIVE);

        // The plugin still heartbeats: only the verdict from outside (its process exited) ends the session.
        this.pair.host.peerGone("plugin process 42 exited with code 137");

        for (CompletableFuture<?> call : java.util.List.of(waiting, blocking, stream)) {
            RapaceException failure = RpcSessionTest.failure(call);
            assertThat(failure.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
            assertThat(failure.getMessage()).contains("exited with code 137");
        }
        assertThat(this.pair.host.state()).isEqualTo(SessionState.PEER_DIED);
        assertThat(this.pair.host.peerState()).isEqualTo(io.rapace.transport.shm.PeerState.GONE);
        assertThatThrownBy(() -> this.pair.host.closeFuture().get(30, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(RapaceException.class,
                        ex -> assertThat(ex.errorCode()).isEqualTo(ErrorCode.PEER_DIED));
        RapaceException later = RpcSessionTest.failure(this.pair.host.call(BLOCK, new byte[0], null));
        assertThat(later.errorCode()).isEqualTo(ErrorCode.PEER_DIED);
        assertThat(later.getMessage()).contains("exited with code 137");
        assertThat(this.pair.host.pendingCalls()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> this.pair.host.transport().isClosed());
    }
}
