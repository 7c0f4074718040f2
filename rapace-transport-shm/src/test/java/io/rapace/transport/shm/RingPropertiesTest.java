package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.rapace.transport.shm.layout.DescriptorLayout;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Property tests of the rings and the slot pool on real mapped files: wrap-around with random
 * capacities and batch sizes, and payloads of any size from 0 to the slot size, checked by CRC.
 */
class RingPropertiesTest {

    private static final int SLOT_SIZE = 1024;

    private Path file;
    private ShmTransport host;
    private ShmTransport plugin;

    @BeforeProperty
    void connect() throws IOException {
        file = Files.createTempFile("rapace-props", ".shm");
        host = ShmTransport.create(file, new ShmConfig(16, SLOT_SIZE, 8), ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
    }

    @AfterProperty
    void disconnect() throws IOException {
        plugin.close();
        host.close();
        Files.deleteIfExists(file);
    }

    @Property(tries = 150)
    void payloadOfAnySizeUpToTheSlotArrivesIntactBothWays(@ForAll @IntRange(min = 0, max = SLOT_SIZE) int size,
            @ForAll @IntRange(min = 0, max = 1_000_000) int seq) {
        assertRoundTrip(host, plugin, seq, size);
        assertRoundTrip(plugin, host, seq, size);
        assertThat(host.stats().slotsInUse()).isZero();
    }

    @Property(tries = 100)
    void anInlinePayloadFillsTheInlineAreaFromAnyOffsetOfItsArrayAndZeroPastItsEnd(
            @ForAll @Size(max = DescriptorLayout.INLINE_CAPACITY) byte[] payload,
            @ForAll @IntRange(min = 0, max = 9) int offset) throws IOException {
        byte[] array = new byte[offset + payload.length + 9];
        Arrays.fill(array, (byte) 0x5A);
        System.arraycopy(payload, 0, array, offset, payload.length);
        host.send(3, 7, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, array, offset, payload.length, 0);
        long[] descriptorOffset = new long[1];
        assertThat(plugin.poll(frame -> {
            assertThat(frame.payloadBytes()).containsExactly(payload);
            descriptorOffset[0] = ((ReceivedFrame) frame).descriptorOffset();
        }, 8)).isEqualTo(1);
        byte[] inline = new byte[DescriptorLayout.INLINE_CAPACITY];
        System.arraycopy(payload, 0, inline, 0, payload.length);
        // The mapping is the file's pages: the inline area as the peer reads it.
        try (FileChannel channel = FileChannel.open(file)) {
            ByteBuffer area = ByteBuffer.allocate(DescriptorLayout.INLINE_CAPACITY);
            channel.read(area, descriptorOffset[0] + DescriptorLayout.INLINE_PAYLOAD_OFFSET);
            assertThat(area.array()).containsExactly(inline);
        }
    }

    @Property(tries = 30)
    void ringWrapsAroundWithoutLossDuplicationOrReordering(
            @ForAll @IntRange(min = 0, max = 6) int capacityLog2,
            @ForAll @IntRange(min = 1, max = 8) int slotCount,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 150) Integer> batchSizes,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 150) Integer> pollLimits,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 300) Integer> payloadSizes)
            throws IOException {
        int capacity = 1 << capacityLog2;
        Path ringFile = Files.createTempFile("rapace-wrap", ".shm");
        try (ShmTransport sender = ShmTransport.create(ringFile, new ShmConfig(capacity, 300, slotCount),
                ShmOptions.defaults()); ShmTransport receiver = ShmTransport.open(ringFile, ShmOptions.defaults())) {
            int total = 3 * capacity + 5;
            Checker checker = new Checker();
            long sent = 0;
            int round = 0;
            while (sent < total) {
                int batch = batchSizes.get(round % batchSizes.size());
                for (int i = 0; i < batch && sent < total; i++) {
                    int size = payloadSizes.get((int) (sent % payloadSizes.size()));
                    byte[] payload = Payloads.payload(sent, size);
                    try {
                        sender.send(1, (int) sent, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, size, 0);
                    }
                    catch (BackpressureTimeoutException full) {
                        break;
                    }
                    sent++;
                }
                receiver.poll(checker, pollLimits.get(round % pollLimits.size()));
                round++;
            }
            while (checker.next < sent) {
                receiver.poll(checker, 64);
            }
            assertThat(checker.next).isEqualTo(total);
            assertThat(receiver.poll(checker, 64)).isZero();
            assertThat(sender.stats().slotsInUse()).isZero();
            assertThat(receiver.stats().invalidFrames()).isZero();
            assertThat(sender.stats().framesSent()).isEqualTo(total);
        }
        finally {
            Files.deleteIfExists(ringFile);
        }
    }

    private static void assertRoundTrip(ShmTransport from, ShmTransport to, int seq, int size) {
        byte[] payload = Payloads.payload(seq, size);
        long crc = Payloads.crc(payload, 0, size);
        from.send(3, seq, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, payload, 0, size, 0);
        long[] received = new long[2];
        assertThat(to.poll(frame -> {
            byte[] bytes = frame.payloadBytes();
            received[0] = bytes.length;
            received[1] = Payloads.crc(bytes, 0, bytes.length);
            assertThat(frame.methodId()).isEqualTo(seq);
        }, 8)).isEqualTo(1);
        assertThat(received).containsExactly(size, crc);
    }

    /** Checks that frames arrive in send order with the payload their sequence number implies. */
    private static final class Checker implements FrameHandler {

        private long next;

        @Override
        public void onFrame(Frame frame) {
            assertThat(Integer.toUnsignedLong(frame.methodId())).isEqualTo(next);
            byte[] bytes = frame.payloadBytes();
            byte[] expected = Payloads.payload(next, bytes.length);
            assertThat(Payloads.crc(bytes, 0, bytes.length)).isEqualTo(Payloads.crc(expected, 0, expected.length));
            next++;
        }
    }
}
