package io.rapace.spring.boot.health;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import io.rapace.core.session.RpcSession;
import io.rapace.core.session.SessionState;
import io.rapace.spring.boot.RapaceSessionLifecycle;
import io.rapace.spring.boot.RapaceShmPath;
import io.rapace.transport.shm.ShmTransport;
import io.rapace.transport.shm.TransportClosedException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class RapaceHealthIndicatorTests {

    @Test
    void transportClosedBetweenTheClosedCheckAndTheLivenessCheckReportsDownWithoutAnError() {
        ShmTransport transport = mock(ShmTransport.class);
        given(transport.path()).willReturn(Path.of("/dev/shm/health.shm"));
        // The race, injected: open when asked, closed by the time the heartbeat is read.
        given(transport.isClosed()).willReturn(false);
        given(transport.peerState()).willThrow(new TransportClosedException("transport is closed (test)"));
        given(transport.peerHeartbeatAgeNanos()).willThrow(new TransportClosedException("transport is closed (test)"));
        RpcSession session = mock(RpcSession.class);
        given(session.state()).willReturn(SessionState.OPEN);
        given(session.closeFuture()).willReturn(new CompletableFuture<>());
        RapaceSessionLifecycle lifecycle = mock(RapaceSessionLifecycle.class);
        given(lifecycle.transport()).willReturn(transport);
        given(lifecycle.path()).willReturn(new RapaceShmPath(Path.of("/dev/shm/health.shm"), "test"));
        given(lifecycle.lastSession()).willReturn(session);
        RapaceHealthIndicator indicator = new RapaceHealthIndicator(lifecycle);

        assertThatNoException().isThrownBy(() -> indicator.doHealthCheck(Health.unknown()));
        Health health = indicator.health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("reason", "the segment is closed")
            .containsEntry("state", "OPEN")
            .doesNotContainKey("error");
    }
}
