package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A peer that writes a {@code visible_head} more than the ring's capacity ahead of our tail, or behind it:
 * no old descriptor is read again, the defect is counted and logged once, every later poll fails with a
 * clear protocol-violation error until the head is sane again, and an invalid-descriptor flood is logged
 * in a bounded number of lines.
 */
class HostileHeadTest {

    private static final int CAPACITY = 16;

    @TempDir
    Path dir;

    @RegisterExtension
    final LogCapture log = LogCapture.of(FrameReceiver.class);

    private ShmTransport host;
    private ShmTransport plugin;
    private RawRingWriter raw;

    @BeforeEach
    void connect() {
        Path file = dir.resolve("head.shm");
        host = ShmTransport.create(file, new ShmConfig(CAPACITY, 256, 4), ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
        raw = new RawRingWriter(host.segment(), host.config().layout());
    }

    @AfterEach
    void disconnect() {
        plugin.close();
        host.close();
    }

    @ParameterizedTest(name = "head = tail + {0}")
    @ValueSource(longs = {CAPACITY + 1, 1000L * CAPACITY + 3, Long.MAX_VALUE, -1, -CAPACITY, Long.MIN_VALUE})
    void headOutOfRangeIsRejectedOnceLoggedAndNeverReplaysOldDescriptors(long offset) {
        for (int i = 1; i <= 5; i++) {
            raw.enqueue(request(i));
        }
        List<Integer> methods = new ArrayList<>();
        assertThat(plugin.poll(frame -> methods.add(frame.methodId()), 64)).isEqualTo(5);
        long tail = raw.visibleHead();

        log.clear();
        raw.setVisibleHead(tail + offset);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> plugin.poll(frame -> methods.add(frame.methodId()), 64))
                    .isExactlyInstanceOf(ShmException.class)
                    .hasMessageContaining("protocol violation")
                    .hasMessageContaining("visible_head=" + Long.toUnsignedString(tail + offset))
                    .hasMessageContaining("tail=" + tail)
                    .hasMessageContaining("capacity " + CAPACITY);
        }
        assertThatThrownBy(() -> plugin.receive(frame -> methods.add(frame.methodId()), 64, 1_000_000))
                .isExactlyInstanceOf(ShmException.class);

        assertThat(methods).as("no old descriptor is delivered again").containsExactly(1, 2, 3, 4, 5);
        assertThat(plugin.stats().invalidHeads()).isEqualTo(1);
        assertThat(plugin.stats().invalidFrames()).isZero();
        assertThat(log.messages()).as("one line for the episode").hasSize(1);
        assertThat(log.messages().get(0)).contains("visible_head=" + Long.toUnsignedString(tail + offset))
                .doesNotContain("=-");
    }

    @Test
    void aSaneHeadAgainResumesReception() {
        raw.enqueue(request(1));
        assertThat(plugin.poll(frame -> { }, 64)).isEqualTo(1);
        long head = raw.visibleHead();
        raw.setVisibleHead(head + 10 * CAPACITY);
        assertThatThrownBy(() -> plugin.poll(frame -> { }, 64)).isExactlyInstanceOf(ShmException.class);

        raw.setVisibleHead(head);
        raw.enqueue(request(42));
        List<Integer> methods = new ArrayList<>();
        assertThat(plugin.poll(frame -> methods.add(frame.methodId()), 64)).isEqualTo(1);
        assertThat(methods).containsExactly(42);
        assertThat(plugin.stats().invalidHeads()).isEqualTo(1);
    }

    @Test
    void framesBeforeABadHeadAreDeliveredAndTheErrorComesOnTheNextPoll() {
        raw.enqueue(request(1));
        raw.enqueue(request(2));
        List<Integer> methods = new ArrayList<>();
        assertThat(plugin.poll(frame -> {
            methods.add(frame.methodId());
            raw.setVisibleHead(raw.visibleHead() + 100 * CAPACITY);
        }, 64)).isEqualTo(2);
        assertThatThrownBy(() -> plugin.poll(frame -> methods.add(frame.methodId()), 64))
                .isExactlyInstanceOf(ShmException.class);
        assertThat(methods).containsExactly(1, 2);
    }

    @Test
    void aFloodOfInvalidDescriptorsIsLoggedInBoundedLines() {
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < CAPACITY; i++) {
                raw.enqueue(RawRingWriter.inlineDescriptor(17 + i));
            }
            assertThat(plugin.poll(frame -> { }, 64)).isZero();
        }
        assertThat(plugin.stats().invalidFrames()).isEqualTo(20 * CAPACITY);
        assertThat(log.messages()).hasSizeLessThanOrEqualTo(DefectLogBudget.BURST);
        assertThat(log.messages().getLast()).contains("further invalid descriptors").contains("only counted");
    }

    private static Descriptor request(int methodId) {
        return Descriptor.inline(methodId, 1, methodId, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, new byte[] {1, 2});
    }
}
