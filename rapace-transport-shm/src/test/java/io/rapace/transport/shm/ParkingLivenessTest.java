package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receive that parks (the peer shows no wake extension, as a v0.3 peer) looks at the peer's heartbeat once every
 * 16 parks ({@link ShmTransport#PARKING_LIVENESS_CHECK_MASK}), not at every park (on a VM an idle wake-up costs 25-40
 * µs of CPU and the check was a tenth of it), and still sees a peer declared gone.
 */
class ParkingLivenessTest {

    /** Short parks, so that a receive of half a second parks hundreds of times. */
    private static final ShmOptions PARKING = ShmOptions.defaults().withWakeExtension(false)
            .withIdleStrategy(() -> BackoffIdleStrategy.withMaxPark(Duration.ofMillis(1)));

    @TempDir
    Path dir;

    private TransportPair pair;

    private ShmTransport host;

    @BeforeEach
    void connect() {
        pair = TransportPair.connect(dir.resolve("parking.shm"), new ShmConfig(4, 256, 4), PARKING);
        host = pair.host();
        assertThat(host.wakeExtensionActive()).isFalse();
    }

    @AfterEach
    void disconnect() {
        pair.close();
    }

    @Test
    void aParkingReceiveChecksTheHeartbeatEverySixteenParksNotAtEveryPark() {
        long before = host.livenessChecks();
        long start = System.nanoTime();

        assertThat(host.receive(frame -> { }, 1, TimeUnit.MILLISECONDS.toNanos(500))).isZero();

        // At most one 1 ms park a millisecond; a check every 16 of them, the time-out's, and a few while spinning and
        // yielding. A check at every park would be hundreds.
        long parksAtMost = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + 20;
        assertThat(host.livenessChecks() - before)
                .isBetween(2L, parksAtMost / (ShmTransport.PARKING_LIVENESS_CHECK_MASK + 1) + 8);
    }

    @Test
    void aParkingReceiveStillSeesAPeerDeclaredGone() {
        CompletableFuture<Integer> receive = CompletableFuture.supplyAsync(
                () -> host.receive(frame -> { }, 1, TimeUnit.SECONDS.toNanos(30)));
        // Let it reach its parks (past the spin and yield phases), then declare the peer gone.
        await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(() -> host.livenessChecks() > 0);
        host.markPeerGone("its process exited (test)");

        await().atMost(Duration.ofSeconds(5)).until(receive::isDone);
        assertThat(receive).failsWithin(Duration.ZERO).withThrowableThat()
                .havingRootCause().isInstanceOf(PeerDiedException.class)
                .withMessageContaining("its process exited (test)");
    }
}
