package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.RingLayout;
import io.rapace.transport.shm.layout.ShmLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the consumer hands consumed descriptors back to the producer (the ring's {@code tail} in the mapping): at its
 * next look at the ring, every {@value RingConsumer#PUBLISH_EVERY} descriptors within one look, and at close; never
 * later. Its own statistics count what it consumed at once. A real mapped file, both ends in one JVM.
 */
class TailPublicationTest {

    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(10);

    private static final int CAPACITY = 256;

    @TempDir
    Path dir;

    private TransportPair pair;

    private ShmTransport host;

    private ShmTransport plugin;

    @BeforeEach
    void connect() {
        pair = TransportPair.connect(dir.resolve("tail.shm"), new ShmConfig(CAPACITY, 1024, 4), ShmOptions.defaults());
        host = pair.host();
        plugin = pair.plugin();
    }

    @AfterEach
    void disconnect() {
        pair.close();
    }

    @Test
    void aLookHandsTheFramesOfThePreviousLookBack() {
        send(3);

        assertThat(plugin.poll(frame -> { }, 16)).isEqualTo(3);
        assertThat(plugin.stats().receiveRingOccupancy()).as("consumed, for the consumer").isZero();
        assertThat(tailWord()).as("not yet handed back: the store waits for the next look").isZero();
        assertThat(host.stats().sendRingOccupancy()).as("the producer sees them until then").isEqualTo(3);

        assertThat(plugin.poll(frame -> { }, 16)).isZero();
        assertThat(tailWord()).isEqualTo(3);
        assertThat(host.stats().sendRingOccupancy()).isZero();
    }

    @Test
    void aReceiveHandsThemBackBeforeItWaits() {
        send(2);
        assertThat(plugin.poll(frame -> { }, 16)).isEqualTo(2);

        assertThat(plugin.receive(frame -> { }, 16, TimeUnit.MILLISECONDS.toNanos(1))).isZero();

        assertThat(tailWord()).isEqualTo(2);
    }

    @Test
    void aLongLookHandsThemBackEveryThirtyTwo() {
        int frames = 3 * RingConsumer.PUBLISH_EVERY + 5;
        send(frames);

        assertThat(plugin.poll(frame -> { }, CAPACITY)).isEqualTo(frames);

        assertThat(tailWord()).isEqualTo(3L * RingConsumer.PUBLISH_EVERY);
        plugin.poll(frame -> { }, CAPACITY);
        assertThat(tailWord()).isEqualTo(frames);
    }

    @Test
    void aProducerThatFilledTheRingGetsRoomAtTheConsumersNextLook() {
        send(CAPACITY);
        assertThat(plugin.poll(frame -> { }, 1)).isEqualTo(1);
        assertThatThrownBy(() -> host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, 0))
                .as("no room yet: a send that may not wait is refused").isInstanceOf(BackpressureTimeoutException.class);

        assertThat(plugin.poll(frame -> { }, 1)).isEqualTo(1);

        assertThat(host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1}, 0, 1, 0))
                .isPositive();
    }

    @Test
    void aConsumerThatStopsLookingHandsThemBackWhenItSaysSo() {
        send(4);
        assertThat(plugin.poll(frame -> { }, 16)).isEqualTo(4);

        plugin.handBackConsumed();

        assertThat(tailWord()).isEqualTo(4);
        assertThat(host.stats().sendRingOccupancy()).isZero();
    }

    @Test
    void closeHandsBackWhatWasConsumed() {
        send(5);
        assertThat(plugin.poll(frame -> { }, 16)).isEqualTo(5);

        plugin.close();

        assertThat(tailWord()).isEqualTo(5);
    }

    private void send(int frames) {
        byte[] payload = {1, 2, 3};
        for (int i = 0; i < frames; i++) {
            host.send(1, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, payload.length, TIMEOUT);
        }
    }

    /** The A→B ring's tail as the producer reads it. */
    private long tailWord() {
        ShmLayout layout = host.config().layout();
        return Mem.getLongAcquire(host.segment(), layout.ringAToBHeader() + RingLayout.TAIL_OFFSET);
    }
}
