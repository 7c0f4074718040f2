package io.rapace.transport.shm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.rapace.testsupport.logging.LogCapture;
import io.rapace.transport.shm.layout.DescriptorLayout;
import io.rapace.transport.shm.layout.SlotMetaLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random 64-byte descriptors, biased towards the edges of spec §2's rules, and random slot metadata, written
 * straight into a real mapped ring: every descriptor ends either as a valid frame (its payload exactly the
 * bytes the descriptor designates, its slot freed) or as a counted invalid descriptor (its slot untouched),
 * exactly as an independent model of the rules says, in ring order, with no exception and no read outside
 * the mapping.
 */
class HostileDescriptorProperties {

    private static final int CAPACITY = 16;
    private static final int SLOT_SIZE = 64;
    private static final int SLOT_COUNT = 4;

    private Path file;
    private ShmTransport host;
    private ShmTransport plugin;
    private RawRingWriter raw;

    // The receiver reports each dropped descriptor: captured, not printed, and checked to be nothing else.
    private final LogCapture log = LogCapture.of(FrameReceiver.class);

    @BeforeProperty
    void connect() throws IOException {
        log.start();
        file = Files.createTempFile("rapace-hostile-descriptors", ".shm");
        Files.delete(file);
        host = ShmTransport.create(file, new ShmConfig(CAPACITY, SLOT_SIZE, SLOT_COUNT), ShmOptions.defaults());
        plugin = ShmTransport.open(file, ShmOptions.defaults());
        raw = new RawRingWriter(host.segment(), host.config().layout());
    }

    @AfterProperty
    void disconnect() throws IOException {
        plugin.close();
        host.close();
        Files.deleteIfExists(file);
        log.stop();
        assertThat(log.messages()).allMatch((message) -> message.startsWith("dropped invalid descriptor"));
    }

    @Property(tries = 500)
    void everyDescriptorIsAValidFrameOrACountedDefectAsTheRulesSay(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = CAPACITY) int count) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] generations = new int[SLOT_COUNT];
        int[] states = new int[SLOT_COUNT];
        byte[][] data = new byte[SLOT_COUNT][SLOT_SIZE];
        for (int slot = 0; slot < SLOT_COUNT; slot++) {
            generations[slot] = random.nextInt(4) == 0 ? random.nextInt() : random.nextInt(3);
            states[slot] = random.nextInt(5) == 0 ? random.nextInt() : random.nextInt(3);
            random.nextBytes(data[slot]);
            raw.writeSlotData(slot, data[slot]);
            raw.setSlot(slot, generations[slot], states[slot]);
        }
        List<Descriptor> written = new ArrayList<>();
        List<byte[]> expectedPayloads = new ArrayList<>();
        List<Long> expectedIds = new ArrayList<>();
        int expectedInvalid = 0;
        for (int i = 0; i < count; i++) {
            Descriptor descriptor = randomDescriptor(random, i, generations);
            written.add(descriptor);
            raw.enqueue(descriptor);
            byte[] payload = validPayload(descriptor, generations, states, data);
            if (payload == null) {
                expectedInvalid++;
            }
            else {
                expectedPayloads.add(payload);
                expectedIds.add(descriptor.msgId());
                if (!descriptor.isInline()) {
                    states[descriptor.payloadSlot()] = SlotMetaLayout.FREE;  // freed once delivered
                }
            }
        }
        long invalidBefore = plugin.stats().invalidFrames();
        List<byte[]> payloads = new ArrayList<>();
        List<Long> ids = new ArrayList<>();

        int delivered = plugin.poll(frame -> {
            ids.add(frame.msgId());
            payloads.add(frame.payloadBytes());
            assertThat(frame.payload().byteSize()).isEqualTo(frame.payloadLength());
        }, CAPACITY + 1);

        assertThat(delivered).as("delivered of %s", written).isEqualTo(expectedIds.size());
        assertThat(ids).isEqualTo(expectedIds);
        for (int i = 0; i < payloads.size(); i++) {
            assertThat(payloads.get(i)).isEqualTo(expectedPayloads.get(i));
        }
        assertThat(plugin.stats().invalidFrames() - invalidBefore).isEqualTo(expectedInvalid);
        assertThat(plugin.stats().receiveRingOccupancy()).isZero();
        for (int slot = 0; slot < SLOT_COUNT; slot++) {
            assertThat(raw.slotState(slot)).as("slot %d", slot).isEqualTo(states[slot]);
            assertThat(raw.slotGeneration(slot)).as("slot %d", slot).isEqualTo(generations[slot]);
        }
    }

    /** The model: the payload a valid descriptor designates (spec §2), or null when it is invalid. */
    private static byte[] validPayload(Descriptor d, int[] generations, int[] states, byte[][] data) {
        long length = Integer.toUnsignedLong(d.payloadLength());
        if (d.isInline()) {
            return length <= DescriptorLayout.INLINE_CAPACITY ? Arrays.copyOf(d.inlinePayload(), (int) length) : null;
        }
        long slot = Integer.toUnsignedLong(d.payloadSlot());
        long offset = Integer.toUnsignedLong(d.payloadOffset());
        if (slot >= SLOT_COUNT || offset + length > SLOT_SIZE || d.payloadGeneration() != generations[(int) slot]
                || states[(int) slot] != SlotMetaLayout.IN_FLIGHT) {
            return null;
        }
        return Arrays.copyOfRange(data[(int) slot], (int) offset, (int) (offset + length));
    }

    private static Descriptor randomDescriptor(SplittableRandom random, int index, int[] generations) {
        int slot = switch (random.nextInt(6)) {
            case 0, 1 -> DescriptorLayout.INLINE_SLOT;
            case 2, 3 -> random.nextInt(SLOT_COUNT);
            case 4 -> SLOT_COUNT + random.nextInt(3);
            default -> random.nextInt();
        };
        int generation = switch (random.nextInt(4)) {
            case 0, 1 -> Integer.compareUnsigned(slot, SLOT_COUNT) < 0 ? generations[slot] : 0;
            case 2 -> Integer.compareUnsigned(slot, SLOT_COUNT) < 0 ? generations[slot] + 1 : 1;
            default -> random.nextInt();
        };
        int length = switch (random.nextInt(6)) {
            case 0, 1 -> random.nextInt(DescriptorLayout.INLINE_CAPACITY + 1);
            case 2 -> DescriptorLayout.INLINE_CAPACITY + 1 + random.nextInt(3);
            case 3 -> random.nextInt(SLOT_SIZE + 2);
            case 4 -> -1 - random.nextInt(3);
            default -> random.nextInt();
        };
        int offset = switch (random.nextInt(5)) {
            case 0, 1 -> 0;
            case 2 -> SLOT_SIZE - Math.floorMod(length, SLOT_SIZE + 1) + random.nextInt(2);
            case 3 -> random.nextInt(SLOT_SIZE + 1);
            default -> random.nextInt();
        };
        byte[] inline = new byte[DescriptorLayout.INLINE_CAPACITY];
        random.nextBytes(inline);
        return new Descriptor(1_000L + index, random.nextInt(), random.nextInt(), slot, generation, offset, length,
                random.nextInt(), random.nextInt(), random.nextLong(), inline);
    }
}
