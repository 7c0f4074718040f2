package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.layout.SlotMetaLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptors that break spec §2's rules, written straight into the ring: each is counted and dropped,
 * nothing outside the mapping is read, no slot the receiver does not own is freed, and the receiver
 * keeps working.
 */
class InvalidDescriptorTest {

    private static final int SLOT_SIZE = 256;
    private static final int SLOT_COUNT = 4;

    @TempDir
    Path dir;

    @RegisterExtension
    final LogCapture log = LogCapture.of(FrameReceiver.class);

    private ShmTransport host;
    private ShmTransport plugin;
    private RawRingWriter raw;

    @BeforeEach
    void connect() {
        Path file = dir.resolve("invalid.shm");
        host = ShmTransport.create(file, new ShmConfig(16, SLOT_SIZE, SLOT_COUNT), ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
        raw = new RawRingWriter(host.segment(), host.config().layout());
    }

    @AfterEach
    void disconnect() {
        plugin.close();
        host.close();
    }

    static List<Arguments> invalidDescriptors() {
        return List.of(
                Arguments.of("slot index = slot_count", RawRingWriter.slotDescriptor(SLOT_COUNT, 1, 0, 32)),
                Arguments.of("slot index 0xFFFFFFF0", RawRingWriter.slotDescriptor(0xFFFF_FFF0, 1, 0, 32)),
                Arguments.of("offset + len one past the slot", RawRingWriter.slotDescriptor(1, 1, 200, SLOT_SIZE - 199)),
                Arguments.of("offset 0xFFFFFFFF", RawRingWriter.slotDescriptor(1, 1, 0xFFFF_FFFF, 32)),
                Arguments.of("len 0xFFFFFFFF", RawRingWriter.slotDescriptor(1, 1, 0, 0xFFFF_FFFF)),
                Arguments.of("inline len 17", RawRingWriter.inlineDescriptor(17)),
                Arguments.of("inline len 0xFFFFFFFF", RawRingWriter.inlineDescriptor(0xFFFF_FFFF)),
                Arguments.of("stale generation", RawRingWriter.slotDescriptor(1, 0, 0, 32)),
                Arguments.of("generation from the future", RawRingWriter.slotDescriptor(1, 2, 0, 32)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidDescriptors")
    void invalidDescriptorIsCountedAndDroppedAndTheNextFrameStillArrives(String name, Descriptor invalid) {
        raw.setSlot(1, 1, SlotMetaLayout.IN_FLIGHT);
        raw.enqueue(invalid);
        sendValidSlotFrame(2, new byte[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3});

        List<byte[]> delivered = receiveAll(1);

        assertThat(plugin.stats().invalidFrames()).as(name).isEqualTo(1);
        assertThat(log.messages()).as("one warning for the invalid descriptor").singleElement().asString()
                .startsWith("dropped invalid descriptor from the peer");
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0)).hasSize(17);
        assertThat(raw.slotState(1)).as("slot 1 was not the receiver's to free").isEqualTo(SlotMetaLayout.IN_FLIGHT);
        assertThat(raw.slotState(2)).as("the valid frame's slot is freed").isEqualTo(SlotMetaLayout.FREE);
    }

    @Test
    void slotInWrongStateIsDroppedAndLeftAlone() {
        raw.setSlot(0, 5, SlotMetaLayout.FREE);
        raw.setSlot(1, 5, SlotMetaLayout.ALLOCATED);
        raw.enqueue(RawRingWriter.slotDescriptor(0, 5, 0, 32));
        raw.enqueue(RawRingWriter.slotDescriptor(1, 5, 0, 32));
        sendValidSlotFrame(2, new byte[100]);

        List<byte[]> delivered = receiveAll(1);

        assertThat(plugin.stats().invalidFrames()).isEqualTo(2);
        assertThat(delivered).hasSize(1);
        assertThat(raw.slotState(0)).isEqualTo(SlotMetaLayout.FREE);
        assertThat(raw.slotState(1)).isEqualTo(SlotMetaLayout.ALLOCATED);
        assertThat(raw.slotGeneration(1)).isEqualTo(5);
    }

    @Test
    void aFullRingOfInvalidDescriptorsIsDrainedAndValidTrafficResumes() {
        for (int i = 0; i < 15; i++) {
            raw.enqueue(RawRingWriter.inlineDescriptor(17 + i));
        }
        sendValidSlotFrame(3, new byte[SLOT_SIZE]);

        List<byte[]> delivered = receiveAll(1);

        assertThat(plugin.stats().invalidFrames()).isEqualTo(15);
        assertThat(delivered.get(0)).hasSize(SLOT_SIZE);
        assertThat(plugin.stats().receiveRingOccupancy()).isZero();
        assertThat(host.stats().slotsInUse()).isZero();
    }

    @Test
    void foreignButValidDescriptorsAreAccepted() {
        byte[] data = new byte[SLOT_SIZE];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        raw.writeSlotData(0, data);
        raw.setSlot(0, 7, SlotMetaLayout.IN_FLIGHT);
        raw.enqueue(RawRingWriter.slotDescriptor(0, 7, 100, 50));
        raw.writeSlotData(1, data);
        raw.setSlot(1, 3, SlotMetaLayout.IN_FLIGHT);
        raw.enqueue(RawRingWriter.slotDescriptor(1, 3, SLOT_SIZE - 4, 4));
        raw.setSlot(2, 1, SlotMetaLayout.IN_FLIGHT);
        raw.enqueue(RawRingWriter.slotDescriptor(2, 1, 0, 0));

        List<byte[]> delivered = receiveAll(3);

        assertThat(plugin.stats().invalidFrames()).isZero();
        assertThat(delivered.get(0)).isEqualTo(java.util.Arrays.copyOfRange(data, 100, 150));
        assertThat(delivered.get(1)).isEqualTo(java.util.Arrays.copyOfRange(data, SLOT_SIZE - 4, SLOT_SIZE));
        assertThat(delivered.get(2)).isEmpty();
        assertThat(host.stats().slotsInUse()).as("a slot-carried payload of any length is freed").isZero();
    }

    private void sendValidSlotFrame(int slot, byte[] payload) {
        raw.writeSlotData(slot, payload);
        int generation = raw.slotGeneration(slot) + 1;
        raw.setSlot(slot, generation, SlotMetaLayout.IN_FLIGHT);
        raw.enqueue(RawRingWriter.slotDescriptor(slot, generation, 0, payload.length));
    }

    private List<byte[]> receiveAll(int expected) {
        List<byte[]> delivered = new ArrayList<>();
        while (delivered.size() < expected) {
            plugin.receive(frame -> delivered.add(frame.payloadBytes()), 64, 10_000_000_000L);
        }
        assertThat(plugin.poll(frame -> delivered.add(frame.payloadBytes()), 64)).isZero();
        return delivered;
    }
}
