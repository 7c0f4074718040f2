package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import io.rapace.transport.shm.layout.DescriptorLayout;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every payload size from 0 to the slot size, both directions, each checked by CRC. */
class EverySizeTest {

    @TempDir
    Path dir;

    @Test
    void everySizeFromZeroToSlotSizeArrivesIntact() {
        int slotSize = 1024;
        Path file = dir.resolve("sizes.shm");
        try (ShmTransport host = ShmTransport.create(file, new ShmConfig(64, slotSize, 16), ShmOptions.defaults());
                ShmTransport plugin = ShmTransport.open(file, ShmOptions.defaults())) {
            for (ShmTransport[] pair : new ShmTransport[][] {{host, plugin}, {plugin, host}}) {
                byte[] buffer = new byte[slotSize];
                long[] lengthSum = new long[1];
                for (int size = 0; size <= slotSize; size++) {
                    Payloads.fill(size, buffer, size);
                    long expectedCrc = Payloads.crc(buffer, 0, size);
                    int expectedSize = size;
                    pair[0].send(1, size, FrameFlags.DATA, DescriptorLayout.NO_DEADLINE, buffer, 0, size, 0);
                    int got = pair[1].poll(frame -> {
                        assertThat(frame.payloadLength()).isEqualTo(expectedSize);
                        byte[] copy = new byte[expectedSize + 3];
                        frame.copyPayload(copy, 3);
                        assertThat(Payloads.crc(copy, 3, expectedSize)).isEqualTo(expectedCrc);
                        // up to 16 bytes copied byte by byte, larger ones in bulk (ReceivedFrame.copyOut)
                        assertThat(Payloads.crc(frame.payloadBytes(), 0, expectedSize)).isEqualTo(expectedCrc);
                        assertThat(frame.payload().byteSize()).isEqualTo(expectedSize);
                        lengthSum[0] += expectedSize;
                    }, 1);
                    assertThat(got).isEqualTo(1);
                }
                assertThat(lengthSum[0]).isEqualTo((long) slotSize * (slotSize + 1) / 2);
                assertThat(pair[1].stats().bytesReceived()).isEqualTo(lengthSum[0]);
            }
            assertThat(host.stats().slotsInUse()).isZero();
        }
    }
}
