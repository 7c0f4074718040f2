package io.rapace.spring.boot.autoconfigure;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.core.session.SessionState;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class RapaceSessionLifecycleTests {

    @RegisterExtension
    final HostSegment host = new HostSegment();

    private final CompletableFuture<RapaceHostExit> hostExit = new CompletableFuture<>();

    @Test
    void startRunsTheSessionAndStopClosesTheSegmentWithoutCallingTheHandler() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(keepAliveThreads()).isZero();
        assertThat(lifecycle.lastSession()).isNull();
        assertThatIllegalStateException().isThrownBy(lifecycle::session).withMessageContaining("is not running");
        lifecycle.start();
        assertThat(lifecycle.isRunning()).isTrue();
        assertThat(lifecycle.session().state()).isEqualTo(SessionState.OPEN);
        assertThat(keepAliveThreads()).as("a non-daemon thread holds the JVM up").isEqualTo(1);
        lifecycle.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> keepAliveThreads() == 0);
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.transport().isClosed()).isTrue();
        assertThat(lifecycle.lastSession().state()).isEqualTo(SessionState.CLOSED);
        assertHostExitNeverReported(lifecycle);
    }

    /**
     * The exit handler runs on a thread of its own, started by the session's end: wait until that end has
     * played out (the session's receive thread and any exit thread are gone), then watch for a while.
     */
    private void assertHostExitNeverReported(RapaceSessionLifecycle lifecycle) {
        await().atMost(Duration.ofSeconds(30)).until(() -> lifecycle.lastSession().closeFuture().isDone());
        await().atMost(Duration.ofSeconds(30)).until(() -> sessionEndThreads() == 0);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !this.hostExit.isDone());
        assertThat(this.hostExit).isNotDone();
    }

    private static long sessionEndThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.isAlive() && (thread.getName().startsWith("rapace-session-rx-")
                    || thread.getName().equals("rapace-host-exit")))
            .count();
    }

    @Test
    void hostThatStopsHeartbeatingAndLeavesItsFileDied() throws Exception {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofMillis(300));
        lifecycle.start();
        try {
            this.host.transport().close();
            RapaceHostExit exit = this.hostExit.get(30, TimeUnit.SECONDS);
            assertThat(exit.died()).isTrue();
            assertThat(exit.exitCode()).isNotZero();
            assertThat(lifecycle.currentSession()).isNull();
            assertThat(lifecycle.isRunning()).as("running until stopped, so that the context's close releases it")
                .isTrue();
            assertThat(lifecycle.lastSession().state()).isEqualTo(SessionState.PEER_DIED);
        }
        finally {
            lifecycle.stop();
        }
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.transport().isClosed()).isTrue();
    }

    @Test
    void hostThatStopsHeartbeatingAndRemovesItsFileClosed() throws Exception {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofMillis(300));
        lifecycle.start();
        try {
            this.host.transport().close();
            Files.delete(this.host.path());
            RapaceHostExit exit = this.hostExit.get(30, TimeUnit.SECONDS);
            assertThat(exit.died()).isFalse();
            assertThat(exit.exitCode()).isZero();
        }
        finally {
            lifecycle.stop();
        }
    }

    /**
     * The interleaving of a shutdown that coincides with the host's death: stop() has taken its lock and joins
     * the session's receive thread, while that thread, ending the session, runs the lifecycle's ended callback.
     * Before the fix the callback waited for the same lock: stop() never returned (until SIGKILL).
     */
    @Test
    void sessionEndingWhileStopHoldsTheLockDoesNotDeadlock() throws Exception {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofMillis(300));
        lifecycle.start();
        RpcSession session = lifecycle.session();
        ReentrantLock stopLock = (ReentrantLock) ReflectionTestUtils.getField(lifecycle, "lock");
        CountDownLatch lockHeld = new CountDownLatch(1);
        CountDownLatch hostDead = new CountDownLatch(1);
        // What stop() does, step by step: take the lock, then close the session (which joins the receive thread).
        Thread stopper = Thread.ofPlatform().daemon(true).name("test-stopper").start(() -> {
            stopLock.lock();
            try {
                lockHeld.countDown();
                hostDead.await();
                session.close(Duration.ofSeconds(1));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            finally {
                stopLock.unlock();
            }
        });
        assertThat(lockHeld.await(20, TimeUnit.SECONDS)).isTrue();
        this.host.transport().close();
        await().atMost(Duration.ofSeconds(20)).until(() -> session.closeFuture().isDone());
        hostDead.countDown();
        stopper.join(Duration.ofSeconds(20));
        assertThat(stopper.isAlive()).as("stop() returned: the ended callback did not wait for its lock").isFalse();
        lifecycle.stop();
        assertThat(lifecycle.transport().isClosed()).isTrue();
    }

    @Test
    void stoppedLifecycleCannotRestart() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        lifecycle.start();
        lifecycle.stop();
        assertThatIllegalStateException().isThrownBy(lifecycle::start).withMessageContaining("cannot be restarted");
    }

    @Test
    void phaseIsLast() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        lifecycle.stop();
        assertThat(lifecycle.getPhase()).isEqualTo(Integer.MAX_VALUE);
    }

    private static long keepAliveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().equals("rapace-keep-alive") && !thread.isDaemon())
            .count();
    }

    private RapaceSessionLifecycle lifecycle(Duration liveness) {
        // The host is in this JVM, not an ancestor: it is gone once its heartbeat stood still for peerGoneAfter.
        ShmTransport transport = ShmTransport.open(this.host.path(),
                ShmOptions.defaults().withLivenessTimeout(liveness).withPeerGoneAfter(liveness.multipliedBy(2)));
        return new RapaceSessionLifecycle(transport, SessionOptions.defaults(), Duration.ofSeconds(1),
                this.hostExit::complete);
    }
}
