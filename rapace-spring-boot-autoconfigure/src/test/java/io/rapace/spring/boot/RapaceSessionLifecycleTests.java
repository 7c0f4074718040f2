package io.rapace.spring.boot;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionOptions;
import io.rapace.core.session.SessionState;
import io.rapace.spring.boot.RapaceTransportFactory.ExpectedGeometry;
import io.rapace.spring.boot.autoconfigure.HostSegment;
import io.rapace.transport.shm.ShmOpenException;
import io.rapace.transport.shm.ShmOptions;
import io.rapace.transport.shm.ShmTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class RapaceSessionLifecycleTests {

    @RegisterExtension
    final HostSegment host = new HostSegment();

    private final CompletableFuture<RapaceHostExit> hostExit = new CompletableFuture<>();

    private final List<Object> events = new CopyOnWriteArrayList<>();

    @Test
    void startOpensTheSegmentAndRunsTheSessionAndStopClosesBothWithoutCallingTheHandler() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.transport()).as("nothing is opened before start").isNull();
        assertThat(this.host.transport().peerHeartbeatAgeNanos()).as("no plugin heartbeat yet").isNegative();
        assertThat(lifecycle.lastSession()).isNull();
        assertThatIllegalStateException().isThrownBy(lifecycle::session).withMessageContaining("is not running");
        lifecycle.start();
        assertThat(lifecycle.isRunning()).isTrue();
        ShmTransport transport = lifecycle.transport();
        assertThat(transport).isNotNull();
        assertThat(transport.isClosed()).isFalse();
        assertThat(lifecycle.session().state()).isEqualTo(SessionState.OPEN);
        lifecycle.stop();
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(transport.isClosed()).isTrue();
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
    void stoppedLifecycleRestartsOverTheSameSegment() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        lifecycle.start();
        RpcSession first = lifecycle.session();
        ShmTransport firstTransport = lifecycle.transport();
        lifecycle.stop();
        lifecycle.start();
        try {
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(lifecycle.session()).isNotSameAs(first);
            assertThat(lifecycle.session().state()).isEqualTo(SessionState.OPEN);
            assertThat(lifecycle.transport()).isNotSameAs(firstTransport);
            assertThat(lifecycle.transport().isClosed()).isFalse();
            assertThat(firstTransport.isClosed()).isTrue();
            RpcSession hostSide = this.host.serve();
            assertThat(hostSide.state()).isEqualTo(SessionState.OPEN);
        }
        finally {
            lifecycle.stop();
        }
        assertThat(lifecycle.transport().isClosed()).isTrue();
        assertThat(this.events).map(Object::getClass)
            .containsExactly(RapaceSessionStartedEvent.class, RapaceSessionStoppedEvent.class,
                    RapaceSessionStartedEvent.class, RapaceSessionStoppedEvent.class);
    }

    @Test
    void startAndStopPublishEventsNamingTheSessionAndThePath() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        lifecycle.start();
        RpcSession session = lifecycle.session();
        lifecycle.stop();
        lifecycle.stop();
        assertThat(this.events).hasSize(2).allSatisfy((event) -> {
            assertThat(((RapaceSessionEvent) event).getSource()).isSameAs(lifecycle);
            assertThat(((RapaceSessionEvent) event).getSession()).isSameAs(session);
            assertThat(((RapaceSessionEvent) event).getPath()).isEqualTo(this.host.path());
        });
        assertThat(this.events.get(0)).isInstanceOf(RapaceSessionStartedEvent.class);
        assertThat(this.events.get(1)).isInstanceOf(RapaceSessionStoppedEvent.class);
    }

    @Test
    void segmentThatCannotBeOpenedFailsTheStartAndLeavesTheLifecycleStopped() throws Exception {
        RapaceTransportFactory transports = new RapaceTransportFactory(
                transportOptions(Duration.ofSeconds(3)).withOpenTimeout(Duration.ZERO), ExpectedGeometry.ANY);
        RapaceSessionLifecycle lifecycle = new RapaceSessionLifecycle(
                new RapaceShmPath(this.host.directory().resolve("absent.shm"), "test"), transports,
                SessionOptions::defaults, Duration.ofSeconds(1),
                this.hostExit::complete);
        lifecycle.setApplicationEventPublisher(this.events::add);
        assertThatExceptionOfType(ShmOpenException.class).isThrownBy(lifecycle::start);
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(this.events).isEmpty();
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
            RapaceHostGoneEvent gone = hostGone();
            assertThat(gone.isDied()).isTrue();
            assertThat(gone.getExit()).isEqualTo(exit);
            assertThat(gone.getSession()).isSameAs(lifecycle.lastSession());
        }
        finally {
            lifecycle.stop();
        }
        assertThat(lifecycle.isRunning()).isFalse();
        assertThat(lifecycle.transport().isClosed()).isTrue();
        assertThat(this.events).last().isInstanceOf(RapaceSessionStoppedEvent.class);
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
            assertThat(hostGone().isDied()).isFalse();
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
    void phaseIsLast() {
        RapaceSessionLifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        assertThat(lifecycle.getPhase()).isEqualTo(Integer.MAX_VALUE);
    }

    /** The host-gone event, published before the handler was told (so it is there once the exit is known). */
    private RapaceHostGoneEvent hostGone() {
        await().atMost(Duration.ofSeconds(20))
            .until(() -> this.events.stream().anyMatch(RapaceHostGoneEvent.class::isInstance));
        return this.events.stream().filter(RapaceHostGoneEvent.class::isInstance).map(RapaceHostGoneEvent.class::cast)
            .findFirst().orElseThrow();
    }

    private static ShmOptions transportOptions(Duration liveness) {
        // The host is in this JVM, not an ancestor: it is gone once its heartbeat stood still for peerGoneAfter.
        return ShmOptions.defaults().withLivenessTimeout(liveness).withPeerGoneAfter(liveness.multipliedBy(2));
    }

    private RapaceSessionLifecycle lifecycle(Duration liveness) {
        RapaceSessionLifecycle lifecycle = new RapaceSessionLifecycle(new RapaceShmPath(this.host.path(), "test"),
                new RapaceTransportFactory(transportOptions(liveness), ExpectedGeometry.ANY), SessionOptions::defaults, Duration.ofSeconds(1),
                this.hostExit::complete);
        lifecycle.setApplicationEventPublisher(this.events::add);
        return lifecycle;
    }
}
